import CJansson

/// Why a JSON text was refused, and where: `byteOffset` (0-based from the start of the input) is the
/// byte the error is about (the offending character, or the end of the input when it ended too
/// soon), and `line` and `column` (1-based; the column counts characters) name the same byte.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case syntax
        case invalidUTF8
        case prematureEnd
        case trailingData
        case numericOverflow
        case nestingTooDeep
        case duplicateKey
        case nulInKey
        case outOfMemory
    }

    public var code: Code
    public var message: String
    public var line: Int
    public var column: Int
    public var byteOffset: Int

    public init(code: Code, message: String, line: Int, column: Int, byteOffset: Int) {
        self.code = code
        self.message = message
        self.line = line
        self.column = column
        self.byteOffset = byteOffset
    }

    public var description: String {
        "\(message) at line \(line), column \(column) (byte \(byteOffset))"
    }
}

/// Parses JSON text with jansson and turns the result into a `JSONValue`.
///
/// Depth is checked by a pre-scan before jansson sees the input: jansson's own limit (2048) is
/// fixed at its build time and recursion that deep is not what a server should spend on one message.
public struct JSONParser: Sendable {
    /// The deepest nesting of arrays and objects accepted. LSP messages need about 10.
    public var maxDepth: Int
    /// Refuse objects that name the same member twice (off by default, as in most JSON readers).
    public var rejectDuplicateKeys: Bool

    public init(maxDepth: Int = 512, rejectDuplicateKeys: Bool = false) {
        self.maxDepth = maxDepth
        self.rejectDuplicateKeys = rejectDuplicateKeys
    }

    public func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        var text = text
        return try text.withUTF8 { parseResult(UnsafeRawBufferPointer($0)) }.get()
    }

    public func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        try bytes.withUnsafeBytes { parseResult($0) }.get()
    }

    public func parse(_ bytes: ArraySlice<UInt8>) throws(JSONParseError) -> JSONValue {
        try bytes.withUnsafeBytes { parseResult($0) }.get()
    }

    public func parse(_ buffer: UnsafeRawBufferPointer) throws(JSONParseError) -> JSONValue {
        try parseResult(buffer).get()
    }

    private func parseResult(_ buffer: UnsafeRawBufferPointer) -> Result<JSONValue, JSONParseError> {
        do {
            return .success(try parseBuffer(buffer))
        } catch {
            return .failure(error)
        }
    }

    private func parseBuffer(_ buffer: UnsafeRawBufferPointer) throws(JSONParseError) -> JSONValue {
        if let tooDeep = Self.firstOffsetDeeperThan(maxDepth, in: buffer) {
            let (line, column) = Self.lineAndColumn(of: tooDeep, in: buffer)
            throw JSONParseError(
                code: .nestingTooDeep, message: "nesting deeper than \(maxDepth) levels",
                line: line, column: column, byteOffset: tooDeep)
        }
        var error = json_error_t()
        var flags = JSON_DECODE_ANY | JSON_ALLOW_NUL
        if rejectDuplicateKeys { flags |= JSON_REJECT_DUPLICATES }
        let base = buffer.baseAddress?.assumingMemoryBound(to: CChar.self)
        // jansson reads `buflen` bytes and never past them, so an empty buffer needs no terminator.
        let emptyByte: CChar = 0
        guard let root = withUnsafePointer(to: emptyByte, { empty in
            json_loadb(base ?? empty, buffer.count, Int(flags), &error)
        }) else {
            throw Self.error(from: error, in: buffer)
        }
        defer { scholia_json_decref(root) }
        return Self.value(of: root)
    }

    // MARK: jansson -> Swift

    /// Converts a borrowed jansson value; the caller keeps its reference.
    static func value(of node: UnsafeMutablePointer<json_t>) -> JSONValue {
        switch scholia_json_typeof(node) {
        case JSON_NULL: return .null
        case JSON_TRUE: return .bool(true)
        case JSON_FALSE: return .bool(false)
        case JSON_INTEGER: return .integer(json_integer_value(node))
        case JSON_REAL: return .real(json_real_value(node))
        case JSON_STRING:
            return .string(string(json_string_value(node), count: json_string_length(node)))
        case JSON_ARRAY:
            let count = json_array_size(node)
            var items: [JSONValue] = []
            items.reserveCapacity(count)
            for index in 0..<count {
                items.append(value(of: json_array_get(node, index)!))
            }
            return .array(items)
        case JSON_OBJECT:
            var object = JSONObject()
            var iterator = json_object_iter(node)
            while let current = iterator {
                let key = string(json_object_iter_key(current), count: json_object_iter_key_len(current))
                object[key] = value(of: json_object_iter_value(current)!)
                iterator = json_object_iter_next(node, current)
            }
            return .object(object)
        default:
            return .null
        }
    }

    /// jansson has already checked the bytes are UTF-8, so decoding cannot repair anything.
    private static func string(_ pointer: UnsafePointer<CChar>?, count: Int) -> String {
        guard let pointer, count > 0 else { return "" }
        return pointer.withMemoryRebound(to: UInt8.self, capacity: count) {
            String(decoding: UnsafeBufferPointer(start: $0, count: count), as: UTF8.self)
        }
    }

    private static func error(from error: json_error_t, in buffer: UnsafeRawBufferPointer) -> JSONParseError {
        var error = error
        let message = withUnsafeBytes(of: &error.text) { raw -> String in
            let bytes = raw.prefix { $0 != 0 }
            return String(decoding: bytes, as: UTF8.self)
        }
        let code: JSONParseError.Code
        switch scholia_json_error_code(&error) {
        case json_error_invalid_utf8: code = .invalidUTF8
        case json_error_premature_end_of_input: code = .prematureEnd
        case json_error_end_of_input_expected: code = .trailingData
        case json_error_numeric_overflow: code = .numericOverflow
        case json_error_duplicate_key: code = .duplicateKey
        case json_error_null_byte_in_key: code = .nulInKey
        case json_error_out_of_memory: code = .outOfMemory
        case json_error_stack_overflow: code = .nestingTooDeep
        default: code = .syntax
        }
        let offset = errorOffset(code: code, bytesRead: Int(error.position), in: buffer)
        // Line and column are recomputed from the offset so the three always name the same byte (and
        // agree with the depth pre-scan's): jansson's column is that of the last character it read,
        // which for a UTF-8 error is the character before the bad byte, and 0 on empty input.
        let (line, column) = lineAndColumn(of: offset, in: buffer)
        var text = message.isEmpty ? "invalid JSON" : message
        if code == .invalidUTF8 { text = "invalid UTF-8: " + text }
        return JSONParseError(code: code, message: text, line: line, column: column, byteOffset: offset)
    }

    /// The 0-based offset of the byte an error is about. jansson reports how many bytes it had read:
    /// that is the offset itself for invalid UTF-8 (the bad byte is refused before it is counted) and
    /// at end of input, but one past the offending character for everything else (a bad token, a
    /// trailing value), so there it steps back to the start of that last character.
    static func errorOffset(code: JSONParseError.Code, bytesRead: Int, in buffer: UnsafeRawBufferPointer) -> Int {
        var offset = min(max(0, bytesRead), buffer.count)
        switch code {
        case .invalidUTF8, .prematureEnd, .outOfMemory:
            return offset
        default:
            guard offset > 0 else { return 0 }
            offset -= 1
            while offset > 0 && buffer[offset] & 0xC0 == 0x80 { offset -= 1 }
            return offset
        }
    }

    // MARK: Pre-scan

    /// Byte offset of the first `[` or `{` that opens a level deeper than `limit`, outside strings.
    static func firstOffsetDeeperThan(_ limit: Int, in buffer: UnsafeRawBufferPointer) -> Int? {
        var depth = 0
        var inString = false
        var escaped = false
        for (offset, byte) in buffer.enumerated() {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > limit { return offset }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
        }
        return nil
    }

    static func lineAndColumn(of offset: Int, in buffer: UnsafeRawBufferPointer) -> (Int, Int) {
        var line = 1
        var column = 1
        for byte in buffer.prefix(offset) {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return (line, column)
    }
}

extension JSONValue {
    /// Parses JSON text with the default limits.
    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try JSONParser().parse(text)
    }

    public static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        try JSONParser().parse(bytes)
    }
}
