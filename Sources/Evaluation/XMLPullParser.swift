/// A small pull parser over UTF-8 XML bytes: enough XML for annotated corpora, no more.
///
/// It reports start tags (with attributes), end tags and text; it decodes the five predefined
/// entities and numeric character references in text and attribute values, passes CDATA through as
/// text, and skips the XML declaration, processing instructions, comments and the DOCTYPE (whose
/// DTD is never fetched: corpora name DTDs that are not shipped). It checks that tags nest; it
/// does not validate. Written here rather than taken from Foundation's `XMLParser` because that one
/// is callback-driven, absent from some Linux installs, and reports no byte positions.
public struct XMLPullParser {
    public enum Event: Equatable, Sendable {
        case start(name: String, attributes: [String: String])
        case end(name: String)
        case text(String)
    }

    public struct Failure: Error, Equatable, Sendable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    private let bytes: [UInt8]
    private var position = 0
    /// 1-based line of the parser's position, for error messages.
    public private(set) var line = 1
    private var open: [String] = []
    private var pendingEnd: String?

    public init(bytes: [UInt8]) {
        self.bytes = bytes
        // A byte-order mark is not content.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
    }

    /// The next event, or nil at the end of the input.
    public mutating func next() throws(Failure) -> Event? {
        if let name = pendingEnd {
            pendingEnd = nil
            return .end(name: name)
        }
        while position < bytes.count {
            if bytes[position] != UInt8(ascii: "<") {
                let start = position
                while position < bytes.count && bytes[position] != UInt8(ascii: "<") { advance() }
                return .text(try decode(bytes[start..<position]))
            }
            if hasPrefix("<!--") {
                try skip(past: "-->")
                continue
            }
            if hasPrefix("<![CDATA[") {
                for _ in 0..<9 { advance() }
                let start = position
                try skip(past: "]]>")
                return .text(String(decoding: bytes[start..<position - 3], as: UTF8.self))
            }
            if hasPrefix("<?") {
                try skip(past: "?>")
                continue
            }
            if hasPrefix("<!") {
                try skipDeclaration()
                continue
            }
            if hasPrefix("</") {
                advance(); advance()
                let name = readName()
                skipSpaces()
                guard position < bytes.count, bytes[position] == UInt8(ascii: ">") else { throw fail("'</\(name)' is not closed by '>'") }
                advance()
                guard let expected = open.popLast() else { throw fail("end tag </\(name)> with no element open") }
                guard expected == name else { throw fail("end tag </\(name)> where </\(expected)> was expected") }
                return .end(name: name)
            }
            advance()
            let name = readName()
            guard !name.isEmpty else { throw fail("'<' not followed by a name") }
            var attributes: [String: String] = [:]
            while true {
                skipSpaces()
                guard position < bytes.count else { throw fail("unclosed start tag <\(name)") }
                if bytes[position] == UInt8(ascii: ">") {
                    advance()
                    open.append(name)
                    return .start(name: name, attributes: attributes)
                }
                if hasPrefix("/>") {
                    advance(); advance()
                    pendingEnd = name
                    return .start(name: name, attributes: attributes)
                }
                let attribute = readName()
                guard !attribute.isEmpty else { throw fail("unexpected character in start tag <\(name)") }
                skipSpaces()
                guard position < bytes.count, bytes[position] == UInt8(ascii: "=") else { throw fail("attribute \(attribute) has no value") }
                advance()
                skipSpaces()
                guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") || bytes[position] == UInt8(ascii: "'") else {
                    throw fail("attribute \(attribute) value is not quoted")
                }
                let quote = bytes[position]
                advance()
                let start = position
                while position < bytes.count && bytes[position] != quote { advance() }
                guard position < bytes.count else { throw fail("unterminated value of attribute \(attribute)") }
                attributes[attribute] = try decode(bytes[start..<position])
                advance()
            }
        }
        if let unclosed = open.last { throw fail("end of input inside <\(unclosed)>") }
        return nil
    }

    // MARK: Lexing

    private mutating func advance() {
        if bytes[position] == 0x0A { line += 1 }
        position += 1
    }

    private func hasPrefix(_ prefix: String) -> Bool {
        let utf8 = prefix.utf8
        return position + utf8.count <= bytes.count && bytes[position..<position + utf8.count].elementsEqual(utf8)
    }

    private mutating func skip(past terminator: String) throws(Failure) {
        let startLine = line
        while position < bytes.count {
            if hasPrefix(terminator) {
                for _ in 0..<terminator.utf8.count { advance() }
                return
            }
            advance()
        }
        throw Failure(line: startLine, message: "'\(terminator)' never comes")
    }

    /// `<!DOCTYPE ...>` with an optional internal subset in brackets.
    private mutating func skipDeclaration() throws(Failure) {
        let startLine = line
        var depth = 0
        var quote: UInt8?
        while position < bytes.count {
            let byte = bytes[position]
            advance()
            if let q = quote {
                if byte == q { quote = nil }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            } else if byte == UInt8(ascii: "[") {
                depth += 1
            } else if byte == UInt8(ascii: "]") {
                depth -= 1
            } else if byte == UInt8(ascii: ">") && depth <= 0 {
                return
            }
        }
        throw Failure(line: startLine, message: "unterminated declaration")
    }

    private mutating func skipSpaces() {
        while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { advance() }
    }

    private mutating func readName() -> String {
        let start = position
        while position < bytes.count {
            let byte = bytes[position]
            // Names end at white space, '=', '/', '>'; any other byte (non-ASCII included) is part of one.
            if [0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: "="), UInt8(ascii: "/"), UInt8(ascii: ">")].contains(byte) { break }
            advance()
        }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    private func fail(_ message: String) -> Failure { Failure(line: line, message: message) }

    /// Text with entity and character references replaced.
    private func decode(_ slice: ArraySlice<UInt8>) throws(Failure) -> String {
        guard slice.contains(UInt8(ascii: "&")) else { return String(decoding: slice, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(slice.count)
        var i = slice.startIndex
        var lineHere = line - slice[slice.startIndex..<slice.endIndex].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        while i < slice.endIndex {
            let byte = slice[i]
            if byte == 0x0A { lineHere += 1 }
            guard byte == UInt8(ascii: "&") else {
                out.append(byte)
                i += 1
                continue
            }
            guard let semicolon = slice[i...].prefix(12).firstIndex(of: UInt8(ascii: ";")) else {
                throw Failure(line: lineHere, message: "'&' that starts no entity (write &amp;)")
            }
            let name = String(decoding: slice[(i + 1)..<semicolon], as: UTF8.self)
            let replacement: String
            switch name {
            case "amp": replacement = "&"
            case "lt": replacement = "<"
            case "gt": replacement = ">"
            case "quot": replacement = "\""
            case "apos": replacement = "'"
            default:
                var scalar: Unicode.Scalar?
                if name.hasPrefix("#x") || name.hasPrefix("#X") {
                    scalar = UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
                } else if name.hasPrefix("#") {
                    scalar = UInt32(name.dropFirst(), radix: 10).flatMap(Unicode.Scalar.init)
                } else {
                    throw Failure(line: lineHere, message: "unknown entity &\(name);")
                }
                guard let scalar, scalar.value != 0 else {
                    throw Failure(line: lineHere, message: "character reference &\(name); names no character")
                }
                replacement = String(Character(scalar))
            }
            out.append(contentsOf: replacement.utf8)
            i = semicolon + 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
