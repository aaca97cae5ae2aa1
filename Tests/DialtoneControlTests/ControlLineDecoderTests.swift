import NIOCore
import NIOEmbedded
import Testing

@testable import DialtoneControl

@Suite struct ControlLineDecoderTests {
    private func frames(_ chunks: [String], maxLineBytes: Int = 16, closeInput: Bool = false) throws -> [String] {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(ControlLineDecoder(maxLineBytes: maxLineBytes)))
        for chunk in chunks { try channel.writeInbound(ByteBuffer(string: chunk)) }
        if closeInput { channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed) }
        var seen: [String] = []
        while let frame = try channel.readInbound(as: ControlFrame.self) {
            switch frame {
            case .line(let line): seen.append(String(buffer: line))
            case .oversized(let limit): seen.append("<oversized \(limit)>")
            }
        }
        _ = try? channel.finish()
        return seen
    }

    @Test func splitsLinesAcrossChunks() throws {
        #expect(try frames(["{\"a\"", ":1}\n{\"b\":2}\n{\"c\""]) == ["{\"a\":1}", "{\"b\":2}"])
    }

    @Test func dropsTheCarriageReturnOfCRLF() throws {
        #expect(try frames(["one\r\ntwo\n"]) == ["one", "two"])
    }

    @Test func reportsAnOversizedLineOnceAndCarriesOn() throws {
        let long = String(repeating: "x", count: 40)
        #expect(try frames([long + "\nok\n"]) == ["<oversized 16>", "ok"])
        #expect(try frames([String(long.prefix(20)), String(long.prefix(20)), "x\nok\n"]) == ["<oversized 16>", "ok"])
    }

    @Test func acceptsALineOfExactlyTheLimit() throws {
        let exact = String(repeating: "y", count: 16)
        #expect(try frames([exact + "\n"]) == [exact])
    }

    @Test func aLastLineWithoutNewlineCountsAtEndOfInput() throws {
        #expect(try frames(["first\nlast"], closeInput: true) == ["first", "last"])
        #expect(try frames(["first\n  "], closeInput: true) == ["first"])
    }
}
