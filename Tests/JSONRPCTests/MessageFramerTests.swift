import JSON
import JSONRPC
import Testing

typealias Frame = MessageFramer.Frame

extension Frame {
    var text: String? {
        if case .body(let bytes) = self { return String(decoding: bytes, as: UTF8.self) }
        return nil
    }
    var errorKind: FramingError.Kind? {
        if case .error(let error) = self { return error.kind }
        return nil
    }
}

/// A header-framed message, as an LSP client writes it.
func lsp(_ body: String, extraHeaders: String = "") -> String {
    "Content-Length: \(body.utf8.count)\r\n\(extraHeaders)\r\n\(body)"
}

func feed(_ input: String, chunkSize: Int, into framer: inout MessageFramer) -> [Frame] {
    let bytes = Array(input.utf8)
    var frames: [Frame] = []
    var offset = 0
    while offset < bytes.count {
        frames += framer.frames(appending: bytes[offset..<min(offset + chunkSize, bytes.count)])
        offset += chunkSize
    }
    return frames
}

func frames(_ input: String, chunkSize: Int = .max, maxMessageSize: Int = 64 << 20, maxHeaderSize: Int = 8192) -> [Frame] {
    var framer = MessageFramer(maxMessageSize: maxMessageSize, maxHeaderSize: maxHeaderSize)
    return feed(input, chunkSize: chunkSize, into: &framer) + framer.finishInput()
}

let request = #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}"#
let arabic = #"{"jsonrpc":"2.0","method":"note","params":{"text":"ربما 😀"}}"#

@Suite struct ModeDetectionTests {
    @Test(arguments: [
        ("{}", FramingMode.newlineDelimited), ("[1]", .newlineDelimited), (" \r\n\t{", .newlineDelimited),
        ("Content-Length: 2", .contentLength), ("\r\ncontent-length", .contentLength), ("x", .contentLength),
    ])
    func firstNonWhiteSpaceByteDecides(input: String, mode: FramingMode) {
        #expect(FramingMode.detect(in: Array(input.utf8)) == mode)
        var framer = MessageFramer()
        framer.append(Array(input.utf8))
        #expect(framer.mode == mode)
    }

    @Test func whiteSpaceAloneDecidesNothing() {
        #expect(FramingMode.detect(in: Array(" \r\n ".utf8)) == nil)
        var framer = MessageFramer()
        #expect(framer.frames(appending: Array("  \n\r\n".utf8)).isEmpty)
        #expect(framer.mode == nil)
        #expect(framer.bufferedByteCount == 0)
        #expect(framer.finishInput().isEmpty)
    }
}

@Suite struct ContentLengthFramingTests {
    @Test func oneMessage() {
        #expect(frames(lsp(request)) == [.body(Array(request.utf8))])
    }

    @Test(arguments: [1, 2, 3, 7, 64])
    func messagesSplitAtEveryPoint(chunkSize: Int) {
        let input = lsp(request) + lsp(arabic, extraHeaders: "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n")
        #expect(frames(input, chunkSize: chunkSize).map(\.text) == [request, arabic])
    }

    @Test func twoMessagesInOneChunk() {
        var framer = MessageFramer()
        let got = framer.frames(appending: Array((lsp(request) + lsp(arabic)).utf8))
        #expect(got.map(\.text) == [request, arabic])
        #expect(framer.bufferedByteCount == 0)
    }

    @Test func nextFrameHandsOutEachFrameOnce() {
        var framer = MessageFramer()
        framer.append(Array((lsp("1") + lsp("2")).utf8))
        #expect(framer.nextFrame()?.text == "1")
        #expect(framer.nextFrame()?.text == "2")
        #expect(framer.nextFrame() == nil)
    }

    @Test func partialBodyWaitsForTheRest() {
        var framer = MessageFramer()
        #expect(framer.frames(appending: Array("Content-Length: 10\r\n\r\n01234".utf8)).isEmpty)
        #expect(framer.frames(appending: Array("56789Content-Len".utf8)).map(\.text) == ["0123456789"])
        #expect(framer.frames(appending: Array("gth: 1\r\n\r\nx".utf8)).map(\.text) == ["x"])
    }

    @Test func headerNamesAreCaseInsensitiveAndUnknownHeadersIgnored() {
        let input = "X-Trace: abc\r\ncOnTeNt-LeNgTh:   2  \r\nCONTENT-TYPE: application/vscode-jsonrpc; charset=UTF8\r\n\r\n{}"
        #expect(frames(input).map(\.text) == ["{}"])
    }

    @Test func bareLineFeedsAreTolerated() {
        #expect(frames("Content-Length: 2\n\n{}Content-Length: 2\r\n\n[]").map(\.text) == ["{}", "[]"])
    }

    @Test func blankLinesBetweenMessagesAreSkipped() {
        #expect(frames(lsp("{}") + "\r\n\r\n" + lsp("[]")).map(\.text) == ["{}", "[]"])
    }

    @Test func emptyBodyIsAFrame() {
        #expect(frames("Content-Length: 0\r\n\r\n") == [.body([])])
    }

    @Test func repeatedEqualContentLengthIsAccepted() {
        #expect(frames("Content-Length: 2\r\nContent-Length: 2\r\n\r\n{}").map(\.text) == ["{}"])
    }

    @Test func bodyBytesArePassedThroughUntouched() {
        // Framing counts bytes and does not look inside: invalid UTF-8 is the parser's to refuse.
        var input = Array("Content-Length: 4\r\n\r\n".utf8)
        input += [UInt8(ascii: "\""), 0xFF, 0xFE, UInt8(ascii: "\"")]
        var framer = MessageFramer()
        #expect(framer.frames(appending: input) == [.body([UInt8(ascii: "\""), 0xFF, 0xFE, UInt8(ascii: "\"")])])
    }
}

@Suite struct FramingErrorTests {
    @Test(arguments: [
        ("Content-Type: application/json\r\n\r\n{}", FramingError.Kind.missingContentLength),
        ("Content-Length: abc\r\n\r\n{}", .invalidContentLength),
        ("Content-Length: -2\r\n\r\n{}", .invalidContentLength),
        ("Content-Length: \r\n\r\n{}", .invalidContentLength),
        ("Content-Length: 1 2\r\n\r\n{}", .invalidContentLength),
        ("Content-Length: 99999999999999999999\r\n\r\n{}", .invalidContentLength),
        ("Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}", .invalidContentLength),
        ("Content-Length 2\r\n\r\n{}", .invalidHeader),
        (": 2\r\n\r\n{}", .invalidHeader),
        ("Content Length: 2\r\n\r\n{}", .invalidHeader),
    ])
    func badHeaderFollowedByAGoodMessage(bad: String, kind: FramingError.Kind) {
        for chunkSize in [1, 5, Int.max] {
            let got = frames(bad + lsp(request), chunkSize: chunkSize)
            #expect(got.first?.errorKind == kind, "chunk size \(chunkSize)")
            #expect(got.dropFirst().map(\.text) == [request], "chunk size \(chunkSize)")
        }
    }

    @Test func badHeaderErrorsAreParseErrors() {
        let error = FramingError(kind: .missingContentLength, message: "m")
        #expect(error.rpcError.code == RPCError.parseErrorCode)
        #expect(error.rpcError.data?["reason"] == "missingContentLength")
    }

    @Test func unsupportedCharsetSkipsTheBodyItKnowsTheLengthOf() {
        let bad = lsp(#"{"x":"\u00e9"}"#, extraHeaders: "Content-Type: application/json; charset=\"latin1\"\r\n")
        let got = frames(bad + lsp(request), chunkSize: 3)
        #expect(got.first?.errorKind == .unsupportedCharset)
        #expect(got.dropFirst().map(\.text) == [request])
    }

    @Test(arguments: [1, 100, 4096, Int.max])
    func overSizeBodyIsSkippedThenAGoodMessageIsRead(chunkSize: Int) {
        let big = #"{"jsonrpc":"2.0","method":"x","params":[""# + String(repeating: "a", count: 10_000) + #""]}"#
        var framer = MessageFramer(maxMessageSize: 1000)
        let got = feed(lsp(big) + lsp(request), chunkSize: chunkSize, into: &framer)
        #expect(got.count == 2)
        guard case .error(let error) = got.first else {
            Issue.record("expected an error first, got \(got)")
            return
        }
        #expect(error.kind == .messageTooLarge)
        #expect(error.message.contains("\(big.utf8.count) bytes"))
        #expect(error.rpcError.code == RPCError.invalidRequestCode)
        #expect(got.last?.text == request)
    }

    @Test func overSizeBodyIsNeverBuffered() {
        var framer = MessageFramer(maxMessageSize: 100)
        // The refusal comes from the header alone, before any of the body has arrived.
        #expect(framer.frames(appending: Array("Content-Length: 1000000\r\n\r\n".utf8)).map(\.errorKind) == [.messageTooLarge])
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 64 << 10)
        for _ in 0..<15 {
            #expect(framer.frames(appending: chunk).isEmpty)
            #expect(framer.bufferedByteCount == 0)
        }
        // 15 * 65536 = 983040 bytes skipped so far; the rest of the body, then a good message.
        let rest = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000 - 15 * (64 << 10))
        #expect(framer.frames(appending: rest + Array(lsp("{}").utf8)).map(\.text) == ["{}"])
    }

    @Test func bodyOfExactlyTheLimitIsAccepted() {
        #expect(frames(lsp("[1]"), maxMessageSize: 3).map(\.text) == ["[1]"])
        #expect(frames(lsp("[12]"), maxMessageSize: 3).map(\.errorKind) == [.messageTooLarge])
    }

    @Test(arguments: [1, 50, Int.max])
    func headerTooLongIsDroppedThenAGoodMessageIsRead(chunkSize: Int) {
        let longHeader = "Content-Length: 2\r\nX-Padding: " + String(repeating: "p", count: 300) + "\r\n\r\n{}"
        var framer = MessageFramer(maxHeaderSize: 128)
        let got = feed(longHeader + lsp(request), chunkSize: chunkSize, into: &framer)
        #expect(got.map(\.errorKind) == [.headerTooLong, nil])
        #expect(got.last?.text == request)
    }

    @Test func headerTooLongWithoutAnyLineFeedIsNotBuffered() {
        var framer = MessageFramer(maxHeaderSize: 64)
        #expect(framer.frames(appending: Array("X".utf8)).isEmpty)
        let got = framer.frames(appending: [UInt8](repeating: UInt8(ascii: "x"), count: 10_000))
        #expect(got.map(\.errorKind) == [.headerTooLong])
        #expect(framer.bufferedByteCount < 16)
        #expect(framer.frames(appending: [UInt8](repeating: UInt8(ascii: "y"), count: 10_000)).isEmpty)
        #expect(framer.bufferedByteCount < 16)
        #expect(framer.frames(appending: Array(lsp("{}").utf8)).map(\.text) == ["{}"])
    }

    @Test func recoveryFindsAHeaderSplitAcrossReads() {
        var framer = MessageFramer()
        #expect(framer.frames(appending: Array("garbage\r\n\r\n{}junk Content-Le".utf8)).map(\.errorKind) == [.invalidHeader])
        #expect(framer.frames(appending: Array("ngth: 2\r\n\r\n[]".utf8)).map(\.text) == ["[]"])
    }

    @Test func garbageAfterAnErrorIsReportedOnce() {
        // After a bad header the framer looks for the next `Content-Length:`; what lies before it
        // (here a body and a whole block without a length) goes with the first error.
        let input = "Content-Length: x\r\n\r\n{}" + "Content-Type: a\r\n\r\n{}" + lsp("{}")
        #expect(frames(input, chunkSize: 2).map(\.errorKind) == [.invalidContentLength, nil])
        let twoBad = "Content-Type: a\r\n\r\n{}" + "Content-Length: x\r\n\r\n{}" + lsp("{}")
        #expect(frames(twoBad, chunkSize: 2).map(\.errorKind) == [.missingContentLength, .invalidContentLength, nil])
    }

    @Test func headerLineLongerThanTheLimitStartingWithContentLength() {
        // The search for the next message must not find the offending header again (no endless loop).
        let input = "Content-Length: 2" + String(repeating: " ", count: 500) + "\r\n\r\n{}" + lsp("[]")
        for chunkSize in [1, 64, Int.max] {
            #expect(frames(input, chunkSize: chunkSize, maxHeaderSize: 100).map(\.errorKind) == [.headerTooLong, nil])
        }
    }

    @Test func inputEndingInsideABodyIsReported() {
        let got = frames("Content-Length: 10\r\n\r\n{}")
        #expect(got.map(\.errorKind) == [.truncatedFrame])
        if case .error(let error) = got.first { #expect(error.message.contains("2 of the 10 bytes")) }
        #expect(frames("Content-Length: 10\r\n").map(\.errorKind) == [.truncatedFrame])
        #expect(frames(lsp("{}") + "\r\n").map(\.errorKind) == [nil])
    }
}

@Suite struct NewlineFramingTests {
    @Test(arguments: [1, 2, 5, Int.max])
    func linesInAnyPieces(chunkSize: Int) {
        let input = request + "\n" + arabic + "\r\n" + "[1,2]\n"
        #expect(frames(input, chunkSize: chunkSize).map(\.text) == [request, arabic, "[1,2]"])
    }

    @Test func blankLinesAreSkipped() {
        #expect(frames("{}\n\n  \r\n\t\n[]\n").map(\.text) == ["{}", "[]"])
    }

    @Test func lastLineWithoutNewlineCountsAtEndOfInput() {
        var framer = MessageFramer()
        #expect(framer.frames(appending: Array("{}\n[]".utf8)).map(\.text) == ["{}"])
        #expect(framer.finishInput().map(\.text) == ["[]"])
    }

    @Test func lineThatIsNotJSONIsStillAFrame() {
        // Whether it is JSON is decided by the parser, so the client gets a -32700 with a position.
        #expect(frames("{}\nnot json\n").map(\.text) == ["{}", "not json"])
    }

    @Test(arguments: [1, 7, 300, Int.max])
    func overLongLineIsDiscardedUpToTheNextNewline(chunkSize: Int) {
        let long = "[" + String(repeating: "1,", count: 200) + "1]"
        var framer = MessageFramer(maxMessageSize: 100)
        let got = feed("{}\n" + long + "\n" + request + "\n", chunkSize: chunkSize, into: &framer)
        #expect(got.map(\.errorKind) == [nil, .messageTooLarge, nil])
        #expect(got.last?.text == request)
    }

    @Test func overLongLineIsNotBuffered() {
        var framer = MessageFramer(maxMessageSize: 100)
        framer.append(Array("[".utf8))
        let chunk = [UInt8](repeating: UInt8(ascii: "1"), count: 1000)
        #expect(framer.frames(appending: chunk).map(\.errorKind) == [.messageTooLarge])
        for _ in 0..<10 {
            #expect(framer.frames(appending: chunk).isEmpty)
            #expect(framer.bufferedByteCount == 0)
        }
        #expect(framer.frames(appending: Array("]\n{}\n".utf8)).map(\.text) == ["{}"])
    }

    @Test func lineOfExactlyTheLimitIsAccepted() {
        #expect(frames("[1]\r\n", maxMessageSize: 3).map(\.text) == ["[1]"])
        #expect(frames("[12]\n", maxMessageSize: 3).map(\.errorKind) == [.messageTooLarge])
    }

    @Test func modeCanBeFixedInAdvance() {
        var framer = MessageFramer(mode: .contentLength)
        #expect(framer.frames(appending: Array("{}\n".utf8)).map(\.errorKind) == [.invalidHeader])
    }
}
