import JSON

/// Turns messages into frames of one mode: the inverse of `MessageFramer`.
public struct FrameWriter: Sendable {
    public var mode: FramingMode
    /// Always compact: an indented body would put newlines inside a JSON line, and bytes on the wire
    /// are the client's to pay for.
    public private(set) var serializer: JSONSerializer

    public init(mode: FramingMode, serializer: JSONSerializer = JSONSerializer()) {
        self.mode = mode
        var compact = serializer
        compact.indent = 0
        self.serializer = compact
    }

    public func frame(_ message: Message) -> [UInt8] {
        frame(json: message.json)
    }

    /// A batch's answers as one JSON array. An empty batch has no frame (JSON-RPC: a batch of
    /// notifications only is not answered at all), so this returns no bytes.
    public func frame(batch messages: [Message]) -> [UInt8] {
        guard !messages.isEmpty else { return [] }
        return frame(json: .array(messages.map(\.json)))
    }

    public func frame(json: JSONValue) -> [UInt8] {
        frame(body: serializer.serialize(json))
    }

    /// What goes before and after a body in a frame: written around the body rather than copied
    /// together with it (a publish of many diagnostics is megabytes).
    public func envelope(bodyCount: Int) -> (head: [UInt8], tail: [UInt8]) {
        switch mode {
        case .contentLength: return (Array("Content-Length: \(bodyCount)\r\n\r\n".utf8), [])
        case .newlineDelimited: return ([], [0x0A])
        }
    }

    /// Wraps an already serialized, compact JSON text.
    public func frame(body: [UInt8]) -> [UInt8] {
        switch mode {
        case .contentLength:
            // Content-Type is left out: its default (application/vscode-jsonrpc; charset=utf-8) is what we send.
            var frame = Array("Content-Length: \(body.count)\r\n\r\n".utf8)
            frame.reserveCapacity(frame.count + body.count)
            frame.append(contentsOf: body)
            return frame
        case .newlineDelimited:
            // Compact JSON has no raw newline (jansson escapes them inside strings), so one line is one message.
            var frame = body
            frame.append(0x0A)
            return frame
        }
    }
}
