import JSON

/// How messages are cut out of the byte stream. One mode holds for a whole session, and replies are
/// written in the mode the input arrived in.
public enum FramingMode: String, Sendable, Hashable {
    /// The LSP base protocol: `Content-Length: N\r\n`, optional other headers, a blank line, N bytes.
    case contentLength
    /// One JSON text per line (JSON lines), for scripts: `printf '%s\n' '{...}' | scholia serve`.
    case newlineDelimited

    /// The mode a stream starting with `byte` (its first non-white-space byte) uses: a JSON text can
    /// only start a message with `{` (a message) or `[` (a batch); anything else must be a header.
    public init(firstByte byte: UInt8) {
        self = (byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[")) ? .newlineDelimited : .contentLength
    }

    /// The mode decided by the first non-white-space byte of `bytes`, or nil when there is none yet.
    public static func detect<Bytes: Sequence<UInt8>>(in bytes: Bytes) -> FramingMode? {
        bytes.first { !isWhiteSpace($0) }.map(FramingMode.init(firstByte:))
    }

    static func isWhiteSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}

/// A frame that could not be cut out of the stream. Framing goes on after it; `rpcError` is what to
/// answer the client with (id null, since the message's id was never read).
public struct FramingError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// A header block ended without a `Content-Length`.
        case missingContentLength
        /// `Content-Length` is not a decimal byte count, or is given twice with different values.
        case invalidContentLength
        /// A line in a header block that is not `Name: value`.
        case invalidHeader
        /// `Content-Type` names a charset other than UTF-8.
        case unsupportedCharset
        /// A header block longer than the limit; its bytes were dropped.
        case headerTooLong
        /// A message (or JSON line) longer than the limit; its bytes were skipped, never stored.
        case messageTooLarge
        /// The input ended inside a frame.
        case truncatedFrame
    }

    public var kind: Kind
    public var message: String

    public init(kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }

    /// protocol.md: an over-size message is an invalid request (-32600); any frame that cannot be
    /// read is a parse error (-32700).
    public var rpcError: RPCError {
        let data: JSONValue = ["reason": .string(kind.rawValue)]
        switch kind {
        case .messageTooLarge: return RPCError(code: RPCError.invalidRequestCode, message: message, data: data)
        default: return RPCError.parseError(message, data: data)
        }
    }

    public var description: String { "\(kind.rawValue): \(message)" }
}

/// Cuts frames out of a byte stream. Pure and incremental: it does no IO, takes bytes in whatever
/// pieces they were read in (`append`), and hands out each complete body or framing error once
/// (`nextFrame`). After an error it finds the next frame and goes on.
///
/// Memory stays bounded by the limits: a body longer than `maxMessageSize` is refused from its
/// header alone and its bytes are dropped as they arrive, so at most one read's worth of it is ever
/// held; a header block is never held beyond `maxHeaderSize`, and a JSON line never beyond
/// `maxMessageSize`.
public struct MessageFramer: Sendable {
    public enum Frame: Sendable, Hashable {
        /// The body of one message (in newline mode: the line, without its terminator).
        case body([UInt8])
        case error(FramingError)
    }

    /// nil until the first non-white-space byte has been seen.
    public private(set) var mode: FramingMode?
    public let maxMessageSize: Int
    public let maxHeaderSize: Int

    private enum State: Sendable {
        /// Mode unknown: dropping white space until the first byte that decides it.
        case detecting
        case header(HeaderBlock)
        case body(length: Int)
        /// Dropping the body of a refused message as it streams by.
        case skippingBody(remaining: Int)
        /// After a header block that gave no usable length: dropping bytes up to the next
        /// `Content-Length:`, which starts the next message.
        case resynchronizing
        case line
        /// Dropping an over-long JSON line up to its newline.
        case discardingLine
    }

    /// What the lines of the header block read so far said.
    private struct HeaderBlock: Sendable {
        var bytesRead = 0
        var sawHeaderLine = false
        var contentLength: Int?
        var unsupportedCharset: String?
    }

    private var state: State
    /// Received bytes not yet consumed start at `start`; consumed bytes are dropped in bulk.
    private var buffer: [UInt8] = []
    private var start = 0
    /// Where the search for the next line feed resumes, so bytes fed one at a time are scanned once.
    private var scanFrom = 0
    private var ready: [Frame] = []
    private var readyIndex = 0

    public init(mode: FramingMode? = nil, maxMessageSize: Int = 64 << 20, maxHeaderSize: Int = 8192) {
        precondition(maxMessageSize > 0 && maxHeaderSize > 0, "framing limits must be positive")
        self.mode = mode
        self.maxMessageSize = maxMessageSize
        self.maxHeaderSize = maxHeaderSize
        switch mode {
        case nil: state = .detecting
        case .contentLength: state = .header(HeaderBlock())
        case .newlineDelimited: state = .line
        }
    }

    /// Bytes held for frames not yet complete (not counting complete frames waiting in the queue).
    public var bufferedByteCount: Int { buffer.count - start }

    // MARK: Input

    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        // A refused body is dropped before it is ever copied into the buffer.
        var bytes = bytes[...]
        if case .skippingBody(let remaining) = state, start == buffer.count {
            let dropped = min(remaining, bytes.count)
            bytes = bytes.dropFirst(dropped)
            state = remaining == dropped ? .header(HeaderBlock()) : .skippingBody(remaining: remaining - dropped)
        }
        buffer.append(contentsOf: bytes)
        process()
    }

    public mutating func append<Bytes: Sequence<UInt8>>(_ bytes: Bytes) {
        let array = Array(bytes)
        array.withUnsafeBytes { append($0) }
    }

    /// The next complete body or framing error, in stream order; nil when more input is needed.
    public mutating func nextFrame() -> Frame? {
        guard readyIndex < ready.count else { return nil }
        let frame = ready[readyIndex]
        readyIndex += 1
        if readyIndex == ready.count {
            ready.removeAll(keepingCapacity: true)
            readyIndex = 0
        }
        return frame
    }

    /// Appends `bytes` and returns every frame now complete.
    public mutating func frames<Bytes: Sequence<UInt8>>(appending bytes: Bytes) -> [Frame] {
        append(bytes)
        var frames: [Frame] = []
        while let frame = nextFrame() { frames.append(frame) }
        return frames
    }

    /// The input has ended: a last JSON line without a newline still counts; a frame cut short is
    /// reported. Returns the frames that completes (queued ones first); the framer then starts over.
    public mutating func finishInput() -> [Frame] {
        var frames: [Frame] = []
        while let frame = nextFrame() { frames.append(frame) }
        let pending = buffer[start...]
        switch state {
        case .line:
            let line = Self.trimmingCarriageReturn(pending)
            if !line.allSatisfy(FramingMode.isWhiteSpace) { frames.append(.body(Array(line))) }
        case .header(let block):
            if block.sawHeaderLine || !pending.allSatisfy(FramingMode.isWhiteSpace) {
                frames.append(.error(FramingError(
                    kind: .truncatedFrame, message: "input ended inside a header block")))
            }
        case .body(let length):
            frames.append(.error(FramingError(
                kind: .truncatedFrame,
                message: "input ended after \(pending.count) of the \(length) bytes of a message body")))
        case .detecting, .skippingBody, .resynchronizing, .discardingLine:
            break
        }
        buffer.removeAll()
        start = 0
        scanFrom = 0
        switch mode {
        case nil: state = .detecting
        case .contentLength: state = .header(HeaderBlock())
        case .newlineDelimited: state = .line
        }
        return frames
    }

    // MARK: The state machine

    private mutating func process() {
        while step() {}
        compact()
    }

    /// Advances by one transition; false when more input is needed.
    private mutating func step() -> Bool {
        switch state {
        case .detecting:
            guard let first = buffer[start...].firstIndex(where: { !FramingMode.isWhiteSpace($0) }) else {
                start = buffer.count
                return false
            }
            start = first
            let detected = FramingMode(firstByte: buffer[first])
            mode = detected
            state = detected == .contentLength ? .header(HeaderBlock()) : .line
            scanFrom = start
            return true

        case .header(var block):
            guard let lineFeed = nextLineFeed() else {
                if block.bytesRead + (buffer.count - start) > maxHeaderSize {
                    // Past the first byte of the unfinished line, so a `Content-Length:` starting it
                    // is not found again by the search for the next message.
                    start += 1
                    headerTooLong()
                    return true
                }
                return false
            }
            let lineEnd = lineFeed + 1
            block.bytesRead += lineEnd - start
            let line = Self.trimmingCarriageReturn(buffer[start..<lineFeed])
            start = lineEnd
            if block.bytesRead > maxHeaderSize {
                headerTooLong()
                return true
            }
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
                if block.sawHeaderLine {
                    endOfHeaderBlock(block)
                } else {
                    // Blank lines between messages are tolerated (some clients end a body with one).
                    state = .header(HeaderBlock())
                }
                return true
            }
            block.sawHeaderLine = true
            if let error = Self.read(headerLine: line, into: &block) {
                fail(error)
                state = .resynchronizing
            } else {
                state = .header(block)
            }
            return true

        case .body(let length):
            guard buffer.count - start >= length else { return false }
            ready.append(.body(Array(buffer[start..<start + length])))
            start += length
            startHeaderBlock()
            return true

        case .skippingBody(let remaining):
            let dropped = min(remaining, buffer.count - start)
            start += dropped
            if dropped == remaining {
                startHeaderBlock()
                return true
            }
            state = .skippingBody(remaining: remaining - dropped)
            return false

        case .resynchronizing:
            if let found = Self.firstIndex(ofCaseInsensitive: Self.contentLengthMarker, in: buffer, from: start) {
                start = found
                startHeaderBlock()
                return true
            }
            // Keep only the tail that could be the beginning of a marker split across reads.
            start = max(start, buffer.count - (Self.contentLengthMarker.count - 1))
            return false

        case .line:
            guard let lineFeed = nextLineFeed() else {
                // One byte of slack for the carriage return that may end a line of exactly the limit.
                if buffer.count - start > maxMessageSize + 1 {
                    fail(tooLarge: nil)
                    start = buffer.count
                    state = .discardingLine
                }
                return false
            }
            let line = Self.trimmingCarriageReturn(buffer[start..<lineFeed])
            start = lineFeed + 1
            scanFrom = start
            if line.count > maxMessageSize {
                fail(tooLarge: line.count)
            } else if !line.allSatisfy(FramingMode.isWhiteSpace) {
                ready.append(.body(Array(line)))
            }
            return true

        case .discardingLine:
            guard let lineFeed = nextLineFeed() else {
                start = buffer.count
                return false
            }
            start = lineFeed + 1
            scanFrom = start
            state = .line
            return true
        }
    }

    private mutating func startHeaderBlock() {
        state = .header(HeaderBlock())
        scanFrom = start
    }

    private mutating func endOfHeaderBlock(_ block: HeaderBlock) {
        guard let length = block.contentLength else {
            fail(FramingError(kind: .missingContentLength, message: "header block without a Content-Length header"))
            state = .resynchronizing
            return
        }
        if length > maxMessageSize {
            fail(tooLarge: length)
            state = .skippingBody(remaining: length)
        } else if let charset = block.unsupportedCharset {
            fail(FramingError(
                kind: .unsupportedCharset,
                message: "unsupported charset '\(charset)' in Content-Type (only utf-8 is accepted)"))
            state = .skippingBody(remaining: length)
        } else {
            state = .body(length: length)
        }
    }

    /// The rest of the block (and its body, whose length cannot be trusted) is dropped by searching
    /// for the next message's header from `start`; that search keeps only a few bytes buffered.
    private mutating func headerTooLong() {
        fail(FramingError(kind: .headerTooLong, message: "header block longer than \(maxHeaderSize) bytes"))
        state = .resynchronizing
    }

    private mutating func fail(tooLarge length: Int?) {
        let size = length.map { "\($0) bytes" } ?? "more than \(maxMessageSize) bytes"
        fail(FramingError(
            kind: .messageTooLarge,
            message: "message of \(size) exceeds the limit of \(maxMessageSize) bytes; it was skipped"))
    }

    private mutating func fail(_ error: FramingError) {
        ready.append(.error(error))
    }

    /// The index of the next `\n` at or after `start`, remembering how far the search got.
    private mutating func nextLineFeed() -> Int? {
        let from = max(scanFrom, start)
        if let index = buffer[from...].firstIndex(of: 0x0A) {
            scanFrom = index + 1
            return index
        }
        scanFrom = buffer.count
        return nil
    }

    /// Drops consumed bytes. Done when everything is consumed (cheap) or when the consumed prefix
    /// is large, so a body that arrives in many reads is not moved once per read.
    private mutating func compact() {
        guard start > 0 else { return }
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.capacity <= 1 << 20)
        } else if start >= 64 << 10 || start >= buffer.count / 2 {
            buffer.removeFirst(start)
        } else {
            return
        }
        scanFrom = max(0, scanFrom - start)
        start = 0
    }

    // MARK: Header lines

    private static let contentLengthMarker = Array("content-length:".utf8)

    /// Reads one `Name: value` line into `block`; an error when the line cannot be used.
    private static func read(headerLine line: ArraySlice<UInt8>, into block: inout HeaderBlock) -> FramingError? {
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex,
              line[..<colon].allSatisfy(isTokenByte)
        else {
            return FramingError(kind: .invalidHeader, message: "not a header line: '\(printable(line))'")
        }
        let name = String(decoding: line[..<colon], as: UTF8.self).lowercased()
        let value = trimmingSpaces(line[(colon + 1)...])
        switch name {
        case "content-length":
            // Digits only: no sign, no spaces inside, and few enough to fit in an Int.
            guard !value.isEmpty, value.count <= 18, value.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                  let length = Int(String(decoding: value, as: UTF8.self))
            else {
                return FramingError(
                    kind: .invalidContentLength, message: "invalid Content-Length '\(printable(value))'")
            }
            if let earlier = block.contentLength, earlier != length {
                return FramingError(
                    kind: .invalidContentLength, message: "conflicting Content-Length headers (\(earlier) and \(length))")
            }
            block.contentLength = length
        case "content-type":
            if let charset = charset(inContentType: value), charset != "utf-8", charset != "utf8" {
                block.unsupportedCharset = charset
            }
        default:
            break  // Unknown headers are ignored, as the LSP base protocol allows.
        }
        return nil
    }

    /// The lowercased `charset` parameter of a Content-Type value, if it has one.
    private static func charset(inContentType value: ArraySlice<UInt8>) -> String? {
        let text = String(decoding: value, as: UTF8.self)
        for parameter in text.split(separator: ";").dropFirst() {
            let parts = parameter.split(separator: "=", maxSplits: 1)
            guard parts.count == 2,
                  parts[0].trimmed(of: " \t").lowercased() == "charset"
            else { continue }
            var charset = parts[1].trimmed(of: " \t")
            if charset.count >= 2, charset.hasPrefix("\""), charset.hasSuffix("\"") {
                charset = String(charset.dropFirst().dropLast())
            }
            return charset.lowercased()
        }
        return nil
    }

    /// RFC 7230 token characters: what a header name may be made of.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
        }
    }

    private static func trimmingCarriageReturn(_ line: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        line.last == 0x0D ? line.dropLast() : line
    }

    private static func trimmingSpaces(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var bytes = bytes
        while let first = bytes.first, first == 0x20 || first == 0x09 { bytes = bytes.dropFirst() }
        while let last = bytes.last, last == 0x20 || last == 0x09 { bytes = bytes.dropLast() }
        return bytes
    }

    /// At most 80 bytes of a header, for an error message; never invalid UTF-8 into a message.
    private static func printable(_ bytes: ArraySlice<UInt8>) -> String {
        let text = String(decoding: bytes.prefix(80), as: UTF8.self)
        return bytes.count > 80 ? text + "…" : text
    }

    private static func firstIndex(ofCaseInsensitive needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard haystack.count - from >= needle.count else { return nil }
        outer: for index in from...(haystack.count - needle.count) {
            for (offset, expected) in needle.enumerated() {
                var byte = haystack[index + offset]
                if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") { byte += 32 }
                if byte != expected { continue outer }
            }
            return index
        }
        return nil
    }
}

private extension StringProtocol {
    func trimmed(of set: String) -> String {
        var slice = Substring(self)
        while let first = slice.first, set.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, set.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}
