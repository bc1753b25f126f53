import Foundation
import JSON
import JSONRPC
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The two pipes between a test (playing the client) and a `Connection` (the server's end).
final class PipePair: Sendable {
    let clientWrites: Int32
    let serverReads: Int32
    let serverWrites: Int32
    let clientReads: Int32

    init() throws {
        var toServer: [Int32] = [0, 0]
        var toClient: [Int32] = [0, 0]
        guard pipe(&toServer) == 0, pipe(&toClient) == 0 else { throw ConnectionError("pipe failed") }
        (serverReads, clientWrites) = (toServer[0], toServer[1])
        (clientReads, serverWrites) = (toClient[0], toClient[1])
    }

    func write(_ text: String) { write(Array(text.utf8)) }

    func write(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(clientWrites, $0.baseAddress! + offset, $0.count - offset) }
            precondition(written > 0, "test pipe write failed")
            offset += written
        }
    }

    /// Descriptors already closed, so deinit does not close a number another test now owns.
    private let closed = Mutex<Set<Int32>>([])

    private func close(_ fd: Int32) {
        let first = closed.withLock { $0.insert(fd).inserted }
        if first { _ = Glibc.close(fd) }
    }

    /// The client closes its end of the server's input: end of input for the server.
    func closeClientInput() { close(clientWrites) }

    /// The client stops reading: the server's writes then fail with EPIPE.
    func closeClientOutput() { close(clientReads) }

    /// Reads what the server wrote until `count` frames are in or `timeout` seconds pass.
    func readFrames(_ count: Int, timeout: Double = 10) -> (frames: [MessageFramer.Frame], mode: FramingMode?) {
        var framer = MessageFramer()
        var frames: [MessageFramer.Frame] = []
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while frames.count < count {
            let remaining = Int32(max(0, deadline.timeIntervalSinceNow * 1000))
            var descriptor = pollfd(fd: clientReads, events: Int16(POLLIN), revents: 0)
            guard remaining > 0, poll(&descriptor, 1, remaining) > 0 else { break }
            let n = buffer.withUnsafeMutableBytes { read(clientReads, $0.baseAddress, $0.count) }
            guard n > 0 else { break }
            frames += framer.frames(appending: buffer[..<n])
        }
        return (frames, framer.mode)
    }

    /// Whether the server wrote anything within `timeout` seconds.
    func hasOutput(within timeout: Double) -> Bool {
        var descriptor = pollfd(fd: clientReads, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, Int32(timeout * 1000)) > 0
    }

    deinit {
        for fd in [clientWrites, serverReads, serverWrites, clientReads] { close(fd) }
    }
}

/// Records what a connection delivers and answers like a tiny server: every request gets its
/// method name back as the result, and anything unreadable gets an error with id null.
final class EchoServer: Sendable {
    let items = Mutex<[InboundItem]>([])

    func handler(for connection: Connection) -> @Sendable (InboundItem) -> Void {
        { [self] item in
            items.withLock { $0.append(item) }
            switch item {
            case .payload(.single(.success(.request(let id, let method, _)))):
                connection.send(.response(id: id, result: .success(.string(method))))
            case .payload(.batch(let entries)):
                let replies: [Message] = entries.compactMap { entry in
                    if case .success(.request(let id, let method, _)) = entry {
                        return .response(id: id, result: .success(.string(method)))
                    }
                    return nil
                }
                connection.send(batch: replies)
            case .invalidPayload(let error):
                connection.send(.response(id: nil, result: .failure(error)))
            case .framingError(let error):
                connection.send(.response(id: nil, result: .failure(error.rpcError)))
            case .payload, .endOfInput:
                break
            }
        }
    }

    var endedInput: Bool {
        items.withLock { items in
            if case .endOfInput = items.last { return true }
            return false
        }
    }
}

func requestText(_ id: Int, _ method: String = "m") -> String {
    #"{"jsonrpc":"2.0","id":\#(id),"method":"\#(method)"}"#
}

func reply(_ frame: MessageFramer.Frame) -> Message? {
    guard case .body(let body) = frame, case .single(.success(let message))? = try? Payload.decode(body).get() else { return nil }
    return message
}

/// Runs `body` against a started connection over fresh pipes, then closes the connection and waits
/// for its reader before the pipes are closed: a reader left polling a closed descriptor number
/// would read the pipes a later test gets with the same number.
func withConnection(
    maxMessageSize: Int = 64 << 20, _ body: (PipePair, Connection, EchoServer) throws -> Void
) throws {
    let pipes = try PipePair()
    let connection = try Connection(input: pipes.serverReads, output: pipes.serverWrites, maxMessageSize: maxMessageSize)
    let server = EchoServer()
    connection.start(handler: server.handler(for: connection))
    defer {
        connection.close()
        #expect(connection.waitUntilReaderEnds(timeout: 10))
        withExtendedLifetime(pipes) {}
    }
    try body(pipes, connection, server)
}

@Suite(.timeLimit(.minutes(1))) struct ConnectionTests {
    @Test func headerFramedMessagesSplitAcrossWrites() throws {
        try withConnection { pipes, connection, server in
            let stream = Array((lsp(requestText(1, "first")) + lsp(requestText(2, "ثانٍ")) + lsp(requestText(3, "third"))).utf8)
            // Cut the stream at awkward places: inside the header, inside the body, between messages.
            var offset = 0
            for size in [3, 1, 20, 7, 45, 1, 1, 30, 500] where offset < stream.count {
                pipes.write(Array(stream[offset..<min(offset + size, stream.count)]))
                offset += size
                usleep(2000)
            }
            let (frames, mode) = pipes.readFrames(3)
            #expect(mode == .contentLength)
            #expect(frames.compactMap(reply) == [
                .response(id: .number(1), result: .success("first")),
                .response(id: .number(2), result: .success("ثانٍ")),
                .response(id: .number(3), result: .success("third")),
            ])
            #expect(connection.framingMode == .contentLength)

            pipes.closeClientInput()
            #expect(connection.waitUntilReaderEnds(timeout: 10))
            #expect(server.endedInput)
        }
    }

    @Test func newlineDelimitedInputGetsNewlineDelimitedReplies() throws {
        try withConnection { pipes, connection, server in
            pipes.write("\n" + requestText(1) + "\n[" + requestText(2, "a") + "," + #"{"jsonrpc":"2.0","method":"n"}"#)
            pipes.write("," + requestText(3, "b") + "]\n")
            let (frames, mode) = pipes.readFrames(2)
            #expect(mode == .newlineDelimited)
            #expect(frames.first.flatMap(reply) == .response(id: .number(1), result: .success("m")))
            guard case .body(let batchBody)? = frames.last else {
                Issue.record("no batch reply")
                return
            }
            let batch = try Payload.decode(batchBody).get()
            #expect(batch == .batch([
                .success(.response(id: .number(2), result: .success("a"))),
                .success(.response(id: .number(3), result: .success("b"))),
            ]))
            // The last line may lack its newline: it is still read at end of input.
            pipes.write(requestText(4, "last"))
            pipes.closeClientInput()
            #expect(pipes.readFrames(1).frames.compactMap(reply) == [.response(id: .number(4), result: .success("last"))])
            #expect(connection.waitUntilReaderEnds(timeout: 10))
        }
    }

    @Test func bodyThatIsNotJSONIsAParseErrorWithItsPosition() throws {
        try withConnection { pipes, connection, server in
            var invalid = Array("Content-Length: 5\r\n\r\n".utf8)
            invalid += [UInt8(ascii: "["), UInt8(ascii: "\""), 0xFF, UInt8(ascii: "\""), UInt8(ascii: "]")]
            pipes.write(invalid)
            pipes.write(lsp("{\"a\":\n tru}") + lsp(requestText(9)))
            let frames = pipes.readFrames(3).frames.compactMap(reply)
            #expect(frames.count == 3)
            guard frames.count == 3, case .response(nil, .failure(let utf8Error)) = frames[0],
                  case .response(nil, .failure(let syntaxError)) = frames[1] else {
                Issue.record("unexpected replies \(frames)")
                return
            }
            #expect(utf8Error.code == RPCError.parseErrorCode)
            #expect(utf8Error.message.contains("invalid UTF-8"))
            #expect(utf8Error.data?["offset"] == 2)
            #expect(syntaxError.code == RPCError.parseErrorCode)
            #expect(syntaxError.message.contains("line 2, column"))
            #expect(syntaxError.data?["line"] == 2)
            #expect(frames[2] == .response(id: .number(9), result: .success("m")))
            let delivered = server.items.withLock { items in
                items.map { item -> String in
                    switch item {
                    case .invalidPayload(let error): return "invalid \(error.code)"
                    case .payload: return "payload"
                    case .framingError: return "framing"
                    case .endOfInput: return "end"
                    }
                }
            }
            #expect(delivered == ["invalid -32700", "invalid -32700", "payload"])
        }
    }

    @Test func overSizeMessageIsRefusedAndTheNextOneServed() throws {
        try withConnection(maxMessageSize: 1024) { pipes, connection, server in
            let big = #"{"jsonrpc":"2.0","id":1,"method":"m","params":[""# + String(repeating: "x", count: 200_000) + #""]}"#
            // Written from another thread: the pipe holds only 64 KiB and the test reads replies meanwhile.
            let written = DispatchSemaphore(value: 0)
            Thread {
                pipes.write(lsp(big) + lsp(requestText(2)))
                written.signal()
            }.start()
            let frames = pipes.readFrames(2).frames.compactMap(reply)
            #expect(written.wait(timeout: .now() + 10) == .success)
            guard frames.count == 2, case .response(nil, .failure(let error)) = frames[0] else {
                Issue.record("unexpected replies \(frames)")
                return
            }
            #expect(error.code == RPCError.invalidRequestCode)
            #expect(error.message.contains("\(big.utf8.count) bytes"))
            #expect(frames[1] == .response(id: .number(2), result: .success("m")))
        }
    }

    @Test func nothingIsWrittenBeforeTheModeIsKnown() throws {
        try withConnection { pipes, connection, server in
            connection.send(.notification(method: "early", params: nil))
            #expect(!pipes.hasOutput(within: 0.1))
            pipes.write("  \n")  // White space decides nothing.
            #expect(!pipes.hasOutput(within: 0.1))
            pipes.write("{")  // Now it is JSON lines: the held notification goes out as a line.
            let (frames, mode) = pipes.readFrames(1)
            #expect(mode == .newlineDelimited)
            #expect(frames.compactMap(reply) == [.notification(method: "early", params: nil)])
        }
    }

    @Test func heldSendsDefaultToContentLengthWhenInputEndsUndecided() throws {
        try withConnection { pipes, connection, server in
            connection.send(.notification(method: "early", params: nil))
            pipes.closeClientInput()
            #expect(connection.waitUntilReaderEnds(timeout: 10))
            #expect(server.endedInput)
            let (frames, mode) = pipes.readFrames(1)
            #expect(mode == .contentLength)
            #expect(frames.compactMap(reply) == [.notification(method: "early", params: nil)])
        }
    }

    @Test func closeStopsTheReaderWithoutEndOfInput() throws {
        try withConnection { pipes, connection, server in
            pipes.write(requestText(1) + "\n")
            #expect(pipes.readFrames(1).frames.count == 1)
            #expect(!connection.waitUntilReaderEnds(timeout: 0.05))
            connection.close()
            #expect(connection.waitUntilReaderEnds(timeout: 10))
            #expect(connection.waitUntilReaderEnds(timeout: 0), "a second wait returns at once")
            #expect(!server.endedInput)
            connection.send(.notification(method: "after close", params: nil))
            #expect(!pipes.hasOutput(within: 0.05))
        }
    }

    @Test func concurrentSendsNeverInterleave() throws {
        try withConnection { pipes, connection, server in
            pipes.write("Content-Length: 2\r\n")  // Decides the mode; the message itself never completes.
            let threads = 8, perThread = 50
            let padding = String(repeating: "ص", count: 3000)  // Large enough to force partial pipe writes.
            let sent = DispatchSemaphore(value: 0)
            DispatchQueue.global().async {
                DispatchQueue.concurrentPerform(iterations: threads) { thread in
                    for index in 0..<perThread {
                        connection.send(.notification(
                            method: "n",
                            params: ["thread": .integer(Int64(thread)), "i": .integer(Int64(index)), "pad": .string(padding)]))
                    }
                }
                sent.signal()
            }
            let messages = pipes.readFrames(threads * perThread, timeout: 30).frames.compactMap(reply)
            #expect(sent.wait(timeout: .now() + 10) == .success)
            #expect(messages.count == threads * perThread)
            // Each thread's messages arrive whole and in that thread's order.
            var next = [Int64](repeating: 0, count: threads)
            for case .notification(_, let params?) in messages {
                let thread = Int(params["thread"]!.integerValue!)
                #expect(params["i"]?.integerValue == next[thread])
                next[thread] += 1
            }
        }
    }

    /// Header and body go out in one `writev`, resumed across partial writes into a full pipe.
    @Test func aSerializedBodyLargerThanThePipeArrivesWhole() throws {
        try withConnection { pipes, connection, server in
            pipes.write("Content-Length: 2\r\n")  // Decides the mode.
            let body = Array(#"{"jsonrpc":"2.0","method":"n","params":{"t":""#.utf8)
                + Array(String(repeating: "aص", count: 150_000).utf8) + Array(#""}}"#.utf8)
            DispatchQueue.global().async { connection.send(serialized: body) }
            let frames = pipes.readFrames(1, timeout: 30).frames
            #expect(frames.count == 1)
            guard case .body(let bytes)? = frames.first else {
                Issue.record("no body frame")
                return
            }
            #expect(bytes == body)
        }
    }

    @Test func writesToAClosedOutputAreDropped() throws {
        signal(SIGPIPE, SIG_IGN)  // As the CLI does; otherwise the write would kill the test process.
        try withConnection { pipes, connection, server in
            pipes.write("{}\n")
            pipes.closeClientOutput()
            for _ in 0..<3 { connection.send(.notification(method: "n", params: nil)) }  // EPIPE: no crash, no hang.
        }
    }

    @Test func invalidDescriptorsAreRefused() {
        #expect(throws: ConnectionError.self) { try Connection(input: -1, output: 1) }
        #expect(throws: ConnectionError.self) { try Connection(input: 0, output: 1, maxMessageSize: 0) }
    }
}
