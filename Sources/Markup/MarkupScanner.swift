/// Builds a `ProseView`: masks what is not prose in a copy of the original bytes (same length,
/// line breaks kept), collects ignore directives, then decodes entities.
struct MarkupScanner {
    let original: [UInt8]
    /// The copy being masked; always the original's length.
    var bytes: [UInt8]
    /// True where a byte is masked (so entity decoding and later passes leave it alone).
    var masked: [Bool]
    var suppressions: [Suppression] = []
    private var openAll: Int?
    private var openNames: [String: Int] = [:]

    static let space: UInt8 = 0x20
    static let newline: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D
    /// How far an inline construct (a code span, a link, a tag) may reach looking for its end, so
    /// that unbalanced marks in a huge paragraph cannot make scanning quadratic.
    static let reach = 4096

    init(_ original: [UInt8]) {
        self.original = original
        self.bytes = original
        self.masked = Array(repeating: false, count: original.count)
    }

    var count: Int { bytes.count }

    // MARK: Masking

    /// Replaces a range by spaces, keeping line breaks so that lines stay where they were.
    mutating func mask(_ range: Range<Int>) {
        let range = max(0, range.lowerBound)..<min(count, range.upperBound)
        for i in range where bytes[i] != Self.newline && bytes[i] != Self.carriageReturn {
            bytes[i] = Self.space
            masked[i] = true
        }
    }

    /// Turns the line break at `index` (LF, CR or CRLF) into spaces: a soft break inside a paragraph.
    mutating func joinLine(atBreak index: Int) {
        guard index < count else { return }
        if bytes[index] == Self.carriageReturn, index + 1 < count, bytes[index + 1] == Self.newline {
            bytes[index + 1] = Self.space
        }
        bytes[index] = Self.space
    }

    // MARK: Lines

    struct Line {
        var start: Int
        /// End of the content, before the line break.
        var end: Int
        /// Start of the next line (after the break), or the text's end.
        var next: Int
        var hasBreak: Bool { next > end }
    }

    func lines() -> [Line] {
        var result: [Line] = []
        var start = 0
        var i = 0
        while i < count {
            let byte = original[i]
            if byte == Self.newline || byte == Self.carriageReturn {
                var next = i + 1
                if byte == Self.carriageReturn, next < count, original[next] == Self.newline { next += 1 }
                result.append(Line(start: start, end: i, next: next))
                start = next
                i = next
            } else {
                i += 1
            }
        }
        result.append(Line(start: start, end: count, next: count))
        return result
    }

    func isBlank(_ range: Range<Int>) -> Bool {
        range.allSatisfy { bytes[$0] == Self.space || bytes[$0] == 0x09 }
    }

    /// Leading indentation in columns (a tab counts to the next multiple of 4) and its length in bytes.
    func indentation(_ line: Line) -> (columns: Int, bytes: Int) {
        var columns = 0
        var i = line.start
        while i < line.end {
            if bytes[i] == Self.space { columns += 1 } else if bytes[i] == 0x09 { columns += 4 - columns % 4 } else { break }
            i += 1
        }
        return (columns, i - line.start)
    }

    func starts(with prefix: String, at index: Int, caseInsensitive: Bool = false) -> Bool {
        let p = Array(prefix.utf8)
        guard index >= 0, index + p.count <= count else { return false }
        for k in 0..<p.count {
            var a = bytes[index + k], b = p[k]
            if caseInsensitive {
                if a >= 0x41 && a <= 0x5A { a += 0x20 }
                if b >= 0x41 && b <= 0x5A { b += 0x20 }
            }
            if a != b { return false }
        }
        return true
    }

    /// The first index at or after `from` (and before `limit`) where `needle` starts.
    func find(_ needle: String, from: Int, limit: Int? = nil, caseInsensitive: Bool = false) -> Int? {
        let end = min(limit ?? count, count)
        var i = from
        let first = needle.utf8.first!
        while i < end {
            if (bytes[i] == first || caseInsensitive) && starts(with: needle, at: i, caseInsensitive: caseInsensitive) { return i }
            i += 1
        }
        return nil
    }

    /// The end of the paragraph that holds `index`: the next blank line, or the reach limit.
    func paragraphLimit(from index: Int) -> Int {
        let limit = min(count, index + Self.reach)
        var i = index
        var lineHasText = true
        while i < limit {
            let byte = bytes[i]
            if byte == Self.newline {
                if !lineHasText { return i }
                lineHasText = false
            } else if byte != Self.space && byte != 0x09 && byte != Self.carriageReturn {
                lineHasText = true
            }
            i += 1
        }
        return limit
    }

    static func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    static func isASCIILetter(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    static func isASCIIPunctuation(_ byte: UInt8) -> Bool {
        (byte >= 0x21 && byte <= 0x2F) || (byte >= 0x3A && byte <= 0x40) || (byte >= 0x5B && byte <= 0x60)
            || (byte >= 0x7B && byte <= 0x7E)
    }

    static func isSpace(_ byte: UInt8) -> Bool {
        byte == space || byte == 0x09 || byte == newline || byte == carriageReturn || byte == 0x0C
    }

    // MARK: Comments and directives

    /// Masks an HTML comment starting at `index` and reads a directive from it. Returns the index
    /// after the comment.
    mutating func comment(at index: Int) -> Int {
        let bodyStart = index + 4
        let close = find("-->", from: bodyStart)
        let end = close.map { $0 + 3 } ?? count
        let body = String(decoding: original[min(bodyStart, count)..<(close ?? count)], as: UTF8.self)
        directive(body, commentStart: index, commentEnd: end)
        mask(index..<end)
        return end
    }

    /// `scholia-disable [names]`, `scholia-enable [names]`, `scholia-disable-next-line [names]`.
    mutating func directive(_ body: String, commentStart: Int, commentEnd: Int) {
        let words = body.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "," })
            .map(String.init)
        guard let command = words.first?.lowercased(), command.hasPrefix("scholia-") else { return }
        let names: Set<String>? = words.count > 1 ? Set(words.dropFirst()) : nil
        switch command {
        case "scholia-disable-next-line":
            // The line after the one the comment ends on.
            var i = commentEnd
            while i < count && original[i] != Self.newline && original[i] != Self.carriageReturn { i += 1 }
            guard i < count else { return }
            if original[i] == Self.carriageReturn, i + 1 < count, original[i + 1] == Self.newline { i += 1 }
            let start = i + 1
            var end = start
            while end < count && original[end] != Self.newline && original[end] != Self.carriageReturn { end += 1 }
            if end > start { suppressions.append(Suppression(range: start..<end, names: names)) }
        case "scholia-disable-line":
            var start = commentStart
            while start > 0 && original[start - 1] != Self.newline && original[start - 1] != Self.carriageReturn { start -= 1 }
            var end = commentEnd
            while end < count && original[end] != Self.newline && original[end] != Self.carriageReturn { end += 1 }
            suppressions.append(Suppression(range: start..<end, names: names))
        case "scholia-disable":
            if let names {
                for name in names where openNames[name] == nil { openNames[name] = commentEnd }
            } else if openAll == nil {
                openAll = commentEnd
            }
        case "scholia-enable":
            if let names {
                for name in names { close(name: name, at: commentStart) }
            } else {
                if let start = openAll { suppressions.append(Suppression(range: start..<commentStart, names: nil)) }
                openAll = nil
                for name in Array(openNames.keys) { close(name: name, at: commentStart) }
            }
        default:
            break
        }
    }

    private mutating func close(name: String, at end: Int) {
        guard let start = openNames.removeValue(forKey: name) else { return }
        suppressions.append(Suppression(range: start..<end, names: [name]))
    }

    /// Regions still open at the end of the text end there.
    mutating func closeDirectives() {
        if let start = openAll { suppressions.append(Suppression(range: start..<count, names: nil)) }
        openAll = nil
        for name in openNames.keys.sorted() {
            suppressions.append(Suppression(range: openNames[name]!..<count, names: [name]))
        }
        openNames.removeAll()
        suppressions.sort { $0.range.lowerBound < $1.range.lowerBound }
    }

    // MARK: Shared inline pieces

    /// A tag (`<p class="x">`, `</div>`, `<br/>`, `<!DOCTYPE html>`, `<?xml ...?>`) at `index`: its
    /// end and lowercased name, or nil when `<` does not start one (`a < b`).
    func tag(at index: Int, limit: Int) -> (end: Int, name: String, closing: Bool)? {
        guard index + 1 < count else { return nil }
        var i = index + 1
        var closing = false
        if bytes[i] == 0x2F { closing = true; i += 1 }  // '/'
        guard i < count else { return nil }
        let isDeclaration = !closing && (bytes[i] == 0x21 || bytes[i] == 0x3F)  // '!' '?'
        guard isDeclaration || Self.isASCIILetter(bytes[i]) else { return nil }
        let nameStart = isDeclaration ? i + 1 : i
        var nameEnd = nameStart
        while nameEnd < count && (Self.isASCIIAlphanumeric(bytes[nameEnd]) || bytes[nameEnd] == 0x2D) { nameEnd += 1 }
        var quote: UInt8?
        i = nameEnd
        while i < min(limit, count) {
            let byte = bytes[i]
            if let q = quote {
                if byte == q { quote = nil }
            } else if byte == 0x22 || byte == 0x27 {
                quote = byte
            } else if byte == 0x3E {  // '>'
                let name = String(decoding: bytes[nameStart..<nameEnd], as: UTF8.self).lowercased()
                return (i + 1, name, closing)
            } else if byte == 0x3C {  // '<': not a tag after all
                return nil
            }
            i += 1
        }
        return nil
    }

    /// A bare URL (`https://...`, `www.example.com/...`) at `index`: its end, without the
    /// punctuation that ends the sentence around it.
    func bareURL(at index: Int) -> Int? {
        if index > 0 && (Self.isASCIIAlphanumeric(bytes[index - 1]) || bytes[index - 1] == 0x2F) { return nil }
        let schemes = ["https://", "http://", "ftp://", "www."]
        guard let scheme = schemes.first(where: { starts(with: $0, at: index, caseInsensitive: true) }) else { return nil }
        var end = index + scheme.utf8.count
        guard end < count, !Self.isSpace(bytes[end]) else { return nil }
        while end < count && !Self.isSpace(bytes[end]) && bytes[end] != 0x3C && bytes[end] != 0x3E { end += 1 }
        // Trailing punctuation belongs to the sentence: ASCII marks and closing quotes/brackets.
        let url = String(decoding: bytes[index..<end], as: UTF8.self)
        var scalars = Array(url.unicodeScalars)
        let opens = scalars.filter { $0 == "(" }.count
        var closes = scalars.filter { $0 == ")" }.count
        let trailing: Set<Unicode.Scalar> = [".", ",", ":", ";", "!", "?", "'", "\"", "*", "_", "~", "]",
                                             "\u{201D}", "\u{2019}", "\u{BB}", "\u{203A}", "\u{300D}", "\u{300F}", "\u{FF09}", "\u{060C}", "\u{061B}", "\u{061F}"]
        while let last = scalars.last {
            if trailing.contains(last) {
                scalars.removeLast()
            } else if last == ")" && closes > opens {
                scalars.removeLast()
                closes -= 1
            } else {
                break
            }
        }
        let length = scalars.reduce(0) { $0 + UTF8.width($1) }
        return length > scheme.utf8.count ? index + length : nil
    }

    // MARK: Entities

    /// The view: the masked bytes with entities (outside masked text) decoded, and where that was done.
    func decodeEntities() -> ([UInt8], [ProseView.Replacement]) {
        var view: [UInt8] = []
        view.reserveCapacity(count)
        var replacements: [ProseView.Replacement] = []
        var i = 0
        while i < count {
            if bytes[i] == 0x26, !masked[i], let (length, scalar) = Entities.decode(bytes, at: i) {  // '&'
                let encoded = Array(String(Character(scalar)).utf8)
                replacements.append(ProseView.Replacement(
                    viewStart: view.count, viewLength: encoded.count, originalStart: i, originalLength: length))
                view.append(contentsOf: encoded)
                i += length
            } else {
                view.append(bytes[i])
                i += 1
            }
        }
        return (view, replacements)
    }
}
