import Foundation
import JSON
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One thing read from the client, in arrival order.
public enum InboundItem: Sendable {
    /// A frame that held JSON: one message or a batch (each entry possibly an invalid message).
    case payload(Payload)
    /// A frame whose body is not JSON (or is an empty batch): answer with id null.
    case invalidPayload(RPCError)
    /// Bytes that could not be cut into a frame; framing has already moved on past them.
    case framingError(FramingError)
    /// The client closed its end (or reading failed). Nothing follows.
    case endOfInput
}

public struct ConnectionError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// JSON-RPC over a pair of file descriptors (stdin and stdout in `scholia serve`).
///
/// A reader thread reads the input in 64 KiB chunks, frames and parses it, and hands each item to
/// the handler on that thread, in order. Sends may come from any thread; each frame is written whole
/// under a lock, so frames from concurrent senders never interleave. The framing mode is the input's:
/// until its first non-white-space byte decides it, sends are held back (nothing is written), and
/// they go out with LSP headers if the input ends or the connection closes before that.
///
/// The descriptors belong to the caller: `close()` stops the connection but leaves them open, and
/// they must stay open until the reader has ended (`waitUntilReaderEnds`): a reader still polling a
/// closed descriptor number would read whatever file is opened next under that number.
public final class Connection: Sendable {
    public let input: Int32
    public let output: Int32
    public let maxMessageSize: Int
    public let maxHeaderSize: Int
    private let parser: JSONParser
    private let serializer: JSONSerializer

    private struct WriterState: Sendable {
        var mode: FramingMode?
        /// Bodies sent before the mode was known, in order.
        var pending: [[UInt8]] = []
        var closed = false
        /// Set when a write failed for good (the client went away): later sends are dropped.
        var outputFailed = false
    }

    private struct ReaderState: Sendable {
        var started = false
        var closed = false
    }

    private let writer = Mutex(WriterState())
    private let reader = Mutex(ReaderState())
    /// `close()` writes a byte here to wake the reader out of `poll`: closing a descriptor another
    /// thread is blocked reading does not wake it on Linux, and could hand its number to a new file.
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let readerEnded = DispatchSemaphore(value: 0)

    private static let chunkSize = 64 << 10

    public init(
        input: Int32, output: Int32, maxMessageSize: Int = 64 << 20, maxHeaderSize: Int = 8192,
        parser: JSONParser = .init(), serializer: JSONSerializer = .init()
    ) throws {
        guard fcntl(input, F_GETFD) != -1 else { throw ConnectionError("input \(input) is not an open file descriptor") }
        guard fcntl(output, F_GETFD) != -1 else { throw ConnectionError("output \(output) is not an open file descriptor") }
        guard maxMessageSize > 0, maxHeaderSize > 0 else { throw ConnectionError("message and header limits must be positive") }
        var wake: [Int32] = [0, 0]
        guard pipe(&wake) == 0 else { throw ConnectionError("cannot create the wake-up pipe: \(String(cString: strerror(errno)))") }
        for fd in wake { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        // A second close() must not block on a full pipe.
        _ = fcntl(wake[1], F_SETFL, fcntl(wake[1], F_GETFL) | O_NONBLOCK)
        self.input = input
        self.output = output
        self.maxMessageSize = maxMessageSize
        self.maxHeaderSize = maxHeaderSize
        self.parser = parser
        self.serializer = serializer
        self.wakeRead = wake[0]
        self.wakeWrite = wake[1]
    }

    deinit {
        // The reader thread holds the connection, so it has ended by now.
        _ = systemClose(wakeRead)
        _ = systemClose(wakeWrite)
    }

    /// The input's framing mode, once its first non-white-space byte has been read.
    public var framingMode: FramingMode? { writer.withLock { $0.mode } }

    // MARK: Reading

    /// Starts the reader thread. Items go to `handler` on that thread, one at a time, in order; after
    /// `.endOfInput` (or `close()`) it is not called again. A second call does nothing.
    public func start(handler: @escaping @Sendable (InboundItem) -> Void) {
        let first = reader.withLock { state in
            defer { state.started = true }
            return !state.started && !state.closed
        }
        guard first else { return }
        let thread = Thread { [self] in
            readLoop(handler: handler)
            readerEnded.signal()
        }
        thread.name = "scholia.connection.reader"
        // Nested JSON is converted recursively on this thread; give it a main-thread-sized stack.
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Waits for the reader thread to end (end of input or `close()`). True if it has ended, or was
    /// never started.
    public func waitUntilReaderEnds(timeout: Double) -> Bool {
        guard reader.withLock({ $0.started }) else { return true }
        guard readerEnded.wait(timeout: .now() + max(0, timeout)) == .success else { return false }
        readerEnded.signal()  // Let every other waiter through as well.
        return true
    }

    private var isClosed: Bool { reader.withLock { $0.closed } }

    private func readLoop(handler: @Sendable (InboundItem) -> Void) {
        var framer = MessageFramer(maxMessageSize: maxMessageSize, maxHeaderSize: maxHeaderSize)
        var chunk = [UInt8](repeating: 0, count: Self.chunkSize)
        var modeAnnounced = false
        while !isClosed {
            var descriptors = [
                pollfd(fd: input, events: Int16(POLLIN), revents: 0),
                pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0),
            ]
            if poll(&descriptors, 2, -1) < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                break
            }
            if descriptors[1].revents != 0 { return }  // close(): stop without another item.
            if descriptors[0].revents == 0 { continue }
            if descriptors[0].revents & Int16(POLLNVAL) != 0 { break }
            let count = chunk.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK { continue }
                break  // A read error ends the input as surely as end of file.
            }
            if count == 0 { break }
            chunk.withUnsafeBytes { framer.append(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
            if !modeAnnounced, let mode = framer.mode {
                modeAnnounced = true
                setMode(mode)
            }
            while let frame = framer.nextFrame() {
                guard !isClosed else { return }
                handler(item(for: frame))
            }
        }
        guard !isClosed else { return }
        for frame in framer.finishInput() {
            guard !isClosed else { return }
            handler(item(for: frame))
        }
        // Nothing decided the mode, so whatever the server still says goes out with LSP headers.
        if !modeAnnounced { setMode(.contentLength) }
        guard !isClosed else { return }
        handler(.endOfInput)
    }

    private func item(for frame: MessageFramer.Frame) -> InboundItem {
        switch frame {
        case .error(let error):
            return .framingError(error)
        case .body(let bytes):
            switch Payload.decode(bytes, parser: parser) {
            case .success(let payload): return .payload(payload)
            case .failure(let error): return .invalidPayload(error)
            }
        }
    }

    // MARK: Writing

    public func send(_ message: Message) {
        // Serialized outside the lock: only the write itself needs to be exclusive.
        write(body: serializer.serialize(message.json))
    }

    /// Writes one message already serialized as compact JSON (no raw newline), as it is.
    public func send(serialized body: [UInt8]) {
        write(body: body)
    }

    /// Writes a batch's answers as one JSON array. An empty batch writes nothing (a batch of
    /// notifications only gets no answer).
    public func send(batch messages: [Message]) {
        guard !messages.isEmpty else { return }
        write(body: serializer.serialize(.array(messages.map(\.json))))
    }

    /// Stops the connection: the reader thread ends without delivering anything more, held-back
    /// sends are written, and later sends are dropped. The descriptors stay open.
    public func close() {
        let first = reader.withLock { state in
            defer { state.closed = true }
            return !state.closed
        }
        guard first else { return }
        writer.withLock { state in
            flushPending(&state, mode: state.mode ?? .contentLength)
            state.closed = true
        }
        var byte: UInt8 = 1
        _ = systemWrite(wakeWrite, &byte, 1)
    }

    private func write(body: [UInt8]) {
        writer.withLock { state in
            guard !state.closed, !state.outputFailed else { return }
            guard let mode = state.mode else {
                state.pending.append(body)
                return
            }
            let envelope = FrameWriter(mode: mode).envelope(bodyCount: body.count)
            // Header, body and trailer in one `writev`: the body is written from where it lies.
            if !Self.writeAll(envelope.head, body, envelope.tail, to: output) { state.outputFailed = true }
        }
    }

    private func setMode(_ mode: FramingMode) {
        writer.withLock { state in
            guard state.mode == nil else { return }
            flushPending(&state, mode: mode)
        }
    }

    private func flushPending(_ state: inout WriterState, mode: FramingMode) {
        state.mode = mode
        let pending = state.pending
        state.pending = []
        guard !state.closed else { return }
        let writer = FrameWriter(mode: mode)
        for body in pending where !state.outputFailed {
            if !Self.writeAll(writer.frame(body: body), to: output) { state.outputFailed = true }
        }
    }

    /// Writes `a`, `b` and `c` one after the other with `writev`, looping over partial writes.
    private static func writeAll(_ a: [UInt8], _ b: [UInt8], _ c: [UInt8], to fd: Int32) -> Bool {
        a.withUnsafeBytes { a in
            b.withUnsafeBytes { b in
                c.withUnsafeBytes { c in
                    let parts = [a, b, c].filter { !$0.isEmpty }
                    var part = 0, offset = 0
                    while part < parts.count {
                        var vectors = (part..<parts.count).map { index in
                            let skip = index == part ? offset : 0
                            return iovec(
                                iov_base: UnsafeMutableRawPointer(mutating: parts[index].baseAddress! + skip),
                                iov_len: parts[index].count - skip)
                        }
                        let written = writev(fd, &vectors, Int32(vectors.count))
                        if written >= 0 {
                            var rest = written
                            while part < parts.count && rest >= parts[part].count - offset {
                                rest -= parts[part].count - offset
                                part += 1
                                offset = 0
                            }
                            offset += rest
                            continue
                        }
                        if !Self.mayRetryAfterFailedWrite(to: fd) { return false }
                    }
                    return true
                }
            }
        }
    }

    /// Writes all of `bytes`, looping over partial writes and interruptions. False when the output
    /// is gone (EPIPE: the client closed its end; SIGPIPE is ignored by the CLI) or broken.
    private static func writeAll(_ bytes: [UInt8], to fd: Int32) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                systemWrite(fd, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written >= 0 {
                offset += written
                continue
            }
            if !mayRetryAfterFailedWrite(to: fd) { return false }
        }
        return true
    }

    /// After a write that returned -1: true when it may be tried again (interrupted, or a
    /// non-blocking output that was full, now drained enough to take more), false when the output
    /// is gone or broken.
    private static func mayRetryAfterFailedWrite(to fd: Int32) -> Bool {
        switch errno {
        case EINTR:
            return true
        case EAGAIN, EWOULDBLOCK:
            var descriptor = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            _ = poll(&descriptor, 1, -1)
            return true
        default:
            return false
        }
    }
}

// File-scope names for the system calls that `Connection`'s own `close()` and `write` hide.
private func systemClose(_ fd: Int32) -> Int32 { close(fd) }
private func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int { write(fd, bytes, count) }
