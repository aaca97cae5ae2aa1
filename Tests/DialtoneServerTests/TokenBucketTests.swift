import Testing

@testable import DialtoneServer

@Suite struct TokenBucketTests {
    private static let second: UInt64 = 1_000_000_000

    private func takes(_ bucket: inout TokenBucket, _ count: Int, at now: UInt64) -> Int {
        (0..<count).count { _ in bucket.take(at: now) }
    }

    @Test func aFullBucketAllowsTheBurstAndThenNothing() {
        var bucket = TokenBucket(perSecond: 50, burst: 200, now: 0)
        #expect(takes(&bucket, 250, at: 0) == 200)
        #expect(takes(&bucket, 1, at: 0) == 0)
    }

    @Test func tokensComeBackAtTheRate() {
        var bucket = TokenBucket(perSecond: 10, burst: 5, now: 0)
        #expect(takes(&bucket, 5, at: 0) == 5)
        #expect(takes(&bucket, 1, at: Self.second / 20) == 0)  // half a token
        #expect(takes(&bucket, 1, at: Self.second / 10) == 1)  // one token
        #expect(takes(&bucket, 1, at: Self.second / 10) == 0)
        #expect(takes(&bucket, 10, at: Self.second / 10 + Self.second / 2) == 5)
    }

    @Test func refillStopsAtTheBurst() {
        var bucket = TokenBucket(perSecond: 100, burst: 3, now: 0)
        #expect(takes(&bucket, 3, at: 0) == 3)
        #expect(takes(&bucket, 10, at: 3600 * Self.second) == 3)
    }

    @Test func aSteadyRateAtTheLimitIsNeverRefused() {
        var bucket = TokenBucket(perSecond: 50, burst: 1, now: 0)
        let interval = Self.second / 50
        for tick in 0..<1000 {
            #expect(takes(&bucket, 1, at: UInt64(tick) * interval) == 1)
        }
    }

    @Test func aClockGoingBackwardsMintsNothing() {
        var bucket = TokenBucket(perSecond: 1, burst: 1, now: 10 * Self.second)
        #expect(takes(&bucket, 1, at: 10 * Self.second) == 1)
        #expect(takes(&bucket, 1, at: 5 * Self.second) == 0)
        #expect(takes(&bucket, 1, at: 10 * Self.second) == 0)
        #expect(takes(&bucket, 1, at: 11 * Self.second) == 1)
    }

    @Test func rateLimitZeroMakesNoBucket() {
        #expect(RateLimit.off.makeBucket() == nil)
        #expect(RateLimit(eventsPerSecond: 0, burst: 100).makeBucket() == nil)
        #expect(RateLimit(eventsPerSecond: 5, burst: 0).makeBucket() != nil)
    }
}
