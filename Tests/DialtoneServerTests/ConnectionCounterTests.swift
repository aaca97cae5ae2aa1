import Testing

@testable import DialtoneServer

@Suite struct ConnectionCounterTests {
    @Test func perAddressLimitCountsEachAddressApart() {
        let counter = ConnectionCounter(maxTotal: nil, maxPerAddress: 2)
        #expect(counter.admit("10.0.0.1") == .admitted)
        #expect(counter.admit("10.0.0.1") == .admitted)
        #expect(counter.admit("10.0.0.1") == .refused(.connectionsPerAddress))
        #expect(counter.admit("10.0.0.2") == .admitted)
        counter.release("10.0.0.1")
        #expect(counter.admit("10.0.0.1") == .admitted)
    }

    @Test func totalLimitComesFirstAndARefusalTakesNoSlot() {
        let counter = ConnectionCounter(maxTotal: 2, maxPerAddress: 1)
        #expect(counter.admit("a") == .admitted)
        #expect(counter.admit("a") == .refused(.connectionsPerAddress))
        #expect(counter.admit("b") == .admitted)
        #expect(counter.admit("c") == .refused(.connections))
        counter.release("b")
        #expect(counter.admit("c") == .admitted)
    }

    @Test func connectionsWithoutAnAddressCountOnlyInTheTotal() {
        let counter = ConnectionCounter(maxTotal: 2, maxPerAddress: 1)
        #expect(counter.admit(nil) == .admitted)
        #expect(counter.admit(nil) == .admitted)
        #expect(counter.admit(nil) == .refused(.connections))
        counter.release(nil)
        #expect(counter.admit("a") == .admitted)
    }
}
