/// Markdown (CommonMark and the common GitHub extensions), read only as far as telling prose from
/// markup: block structure line by line, then inline constructs.
extension MarkupScanner {
    /// What a line is, for deciding which line breaks are soft (inside a paragraph).
    enum LineKind {
        case blank, code, heading, thematicBreak, listItem, table, html, definition, text
        /// Text in a block quote (after its `>` markers).
        case quoted
        /// A paragraph may continue over a break after a line of this kind.
        var continues: Bool { self == .text || self == .listItem || self == .quoted }

        /// Whether the break between a line of this kind and one of `next` is soft. A quote's
        /// lines go on in the quote (or lazily without `>`); a quote after plain text starts a block.
        func continues(into next: LineKind) -> Bool {
            continues && (next == .text || (next == .quoted && self == .quoted))
        }
    }

    mutating func scanMarkdown() {
        let lines = lines()
        var kinds = Array(repeating: LineKind.blank, count: lines.count)
        var index = frontMatterEnd(lines)
        for k in 0..<index { kinds[k] = .code }
        var fence: (byte: UInt8, length: Int)?
        var previousKind = LineKind.blank
        var inList = false
        while index < lines.count {
            let line = lines[index]
            defer { index += 1 }
            if let open = fence {
                if isFence(line, closing: open) { fence = nil }
                mask(line.start..<line.end)
                kinds[index] = .code
                previousKind = .code
                continue
            }
            let (columns, indentBytes) = indentation(line)
            let contentStart = line.start + indentBytes
            if isBlank(line.start..<line.end) {
                kinds[index] = .blank
                previousKind = .blank
                continue
            }
            if columns <= 3, let opened = fenceOpening(at: contentStart, end: line.end) {
                fence = opened
                mask(line.start..<line.end)
                kinds[index] = .code
                previousKind = .code
                continue
            }
            // Indented code: only where a paragraph cannot continue and not inside a list, where
            // indentation means continuation.
            if columns >= 4 && (previousKind == .blank || previousKind == .code) && !inList {
                mask(line.start..<line.end)
                kinds[index] = .code
                previousKind = .code
                continue
            }
            let kind = markdownBlock(line, contentStart: contentStart, previous: previousKind)
            if kind == .listItem { inList = true } else if columns == 0 && previousKind == .blank { inList = false }
            kinds[index] = kind
            previousKind = kind
        }
        scanMarkdownInline()
        // Soft line breaks: a paragraph's lines become one line of the view.
        for k in 0..<(lines.count - 1) where lines[k].hasBreak {
            if kinds[k].continues(into: kinds[k + 1]) { joinLine(atBreak: lines[k].end) }
        }
        closeDirectives()
    }

    /// Masks YAML (`---`) or TOML (`+++`) front matter at the very start; returns the first line after it.
    mutating func frontMatterEnd(_ lines: [Line]) -> Int {
        guard let first = lines.first else { return 0 }
        let opener = String(decoding: original[first.start..<first.end], as: UTF8.self)
        guard opener == "---" || opener == "+++" else { return 0 }
        for k in 1..<lines.count {
            let text = String(decoding: original[lines[k].start..<lines[k].end], as: UTF8.self)
            if text == opener || (opener == "---" && text == "...") {
                for line in lines[0...k] { mask(line.start..<line.end) }
                return k + 1
            }
        }
        return 0
    }

    func fenceOpening(at start: Int, end: Int) -> (byte: UInt8, length: Int)? {
        guard start < end, bytes[start] == 0x60 || bytes[start] == 0x7E else { return nil }  // ` ~
        let byte = bytes[start]
        var length = 0
        while start + length < end && bytes[start + length] == byte { length += 1 }
        guard length >= 3 else { return nil }
        // A backtick fence's info string may not hold a backtick (that would be a code span).
        if byte == 0x60 && bytes[(start + length)..<end].contains(0x60) { return nil }
        return (byte, length)
    }

    func isFence(_ line: Line, closing open: (byte: UInt8, length: Int)) -> Bool {
        let (columns, indentBytes) = indentation(line)
        guard columns <= 3 else { return false }
        var i = line.start + indentBytes
        var length = 0
        while i < line.end && original[i] == open.byte { length += 1; i += 1 }
        return length >= open.length && original[i..<line.end].allSatisfy { $0 == Self.space || $0 == 0x09 }
    }

    /// Masks a block's markers (`>`, `#`, list bullets, table pipes) and says what the line is.
    mutating func markdownBlock(_ line: Line, contentStart: Int, previous: LineKind) -> LineKind {
        var i = contentStart
        // Block quote markers, possibly nested (`> > text`).
        var quoted = false
        while i < line.end && bytes[i] == 0x3E {  // '>'
            mask(i..<(i + 1))
            quoted = true
            i += 1
            if i < line.end && bytes[i] == Self.space { i += 1 }
        }
        while i < line.end && bytes[i] == Self.space { i += 1 }
        if i >= line.end { return .blank }
        let rest = i..<line.end
        let first = bytes[i]

        // Thematic break or setext underline: a line of one mark (`---`, `***`, `___`, `===`).
        if first == 0x2D || first == 0x2A || first == 0x5F || first == 0x3D {
            let marks = bytes[rest].filter { $0 != Self.space && $0 != 0x09 }
            if marks.allSatisfy({ $0 == first }) && (marks.count >= 3 || (first == 0x3D || first == 0x2D) && previous == .text) {
                mask(rest)
                return .thematicBreak
            }
        }
        // ATX heading: 1 to 6 `#` then a space or the end; a closing run of `#` goes too.
        if first == 0x23 {
            var hashes = 0
            while i + hashes < line.end && bytes[i + hashes] == 0x23 { hashes += 1 }
            if hashes <= 6 && (i + hashes == line.end || bytes[i + hashes] == Self.space || bytes[i + hashes] == 0x09) {
                mask(i..<(i + hashes))
                var end = line.end
                while end > i + hashes && (bytes[end - 1] == Self.space || bytes[end - 1] == 0x09) { end -= 1 }
                var closing = end
                while closing > i + hashes && bytes[closing - 1] == 0x23 { closing -= 1 }
                if closing < end && (closing == i + hashes || bytes[closing - 1] == Self.space) { mask(closing..<end) }
                return .heading
            }
        }
        // Link reference definition: `[label]: destination "title"`.
        if first == 0x5B, let close = find("]:", from: i, limit: line.end), !bytes[(i + 1)..<close].contains(0x5D) {
            mask(rest)
            return .definition
        }
        // A line that starts with an HTML block tag or comment stands alone.
        if first == 0x3C, starts(with: "<!--", at: i) || tag(at: i, limit: line.end) != nil {
            return .html
        }
        // Table row: starts with a pipe; a delimiter row (`|---|:--:|`) goes whole.
        if first == 0x7C {
            let cells = bytes[rest]
            if cells.allSatisfy({ $0 == 0x7C || $0 == 0x2D || $0 == 0x3A || $0 == Self.space || $0 == 0x09 }) {
                mask(rest)
            } else {
                for k in rest where bytes[k] == 0x7C && (k == 0 || bytes[k - 1] != 0x5C) { mask(k..<(k + 1)) }
            }
            return .table
        }
        // List item: `-`, `*`, `+` or `1.` / `1)` then a space; a task box `[ ]` / `[x]` after it.
        var marker = i
        if first == 0x2D || first == 0x2A || first == 0x2B {
            marker = i + 1
        } else {
            while marker < line.end && marker - i < 9 && bytes[marker] >= 0x30 && bytes[marker] <= 0x39 { marker += 1 }
            if marker > i && marker < line.end && (bytes[marker] == 0x2E || bytes[marker] == 0x29) { marker += 1 } else { marker = i }
        }
        if marker > i && (marker == line.end || bytes[marker] == Self.space || bytes[marker] == 0x09) {
            mask(i..<marker)
            var box = marker
            while box < line.end && bytes[box] == Self.space { box += 1 }
            if box + 2 < line.end && bytes[box] == 0x5B && bytes[box + 2] == 0x5D
                && (bytes[box + 1] == Self.space || bytes[box + 1] == 0x78 || bytes[box + 1] == 0x58)
            {
                mask(box..<(box + 3))
            }
            return .listItem
        }
        return quoted ? .quoted : .text
    }

    /// Code spans, comments, tags, autolinks, images, link destinations, bare URLs, escapes.
    mutating func scanMarkdownInline() {
        var i = 0
        while i < count {
            let byte = bytes[i]
            switch byte {
            case 0x5C:  // '\' escapes the next ASCII punctuation mark
                if i + 1 < count && Self.isASCIIPunctuation(bytes[i + 1]) {
                    mask(i..<(i + 1))
                    i += 2
                } else {
                    i += 1
                }
            case 0x60:  // '`' code span: a run of n backticks closed by a run of exactly n
                var run = 0
                while i + run < count && bytes[i + run] == 0x60 { run += 1 }
                if let close = closingBackticks(run: run, from: i + run) {
                    mask(i..<(close + run))
                    i = close + run
                } else {
                    i += run
                }
            case 0x3C:  // '<'
                if starts(with: "<!--", at: i) {
                    i = comment(at: i)
                } else if let end = autolink(at: i) {
                    mask(i..<end)
                    i = end
                } else if let tag = tag(at: i, limit: paragraphLimit(from: i)) {
                    mask(i..<tag.end)
                    i = tag.end
                } else {
                    i += 1
                }
            case 0x21 where i + 1 < count && bytes[i + 1] == 0x5B:  // '![' image: all of it
                if let close = matchingBracket(from: i + 1), let end = linkTail(after: close) {
                    mask(i..<end)
                    i = end
                } else {
                    i += 2
                }
            case 0x5B:  // '[' link: the text stays, the brackets and destination go
                if let close = matchingBracket(from: i) {
                    if let end = linkTail(after: close) {
                        mask(i..<(i + 1))
                        mask(close..<end)
                        i += 1
                    } else if close > i + 1 && bytes[i + 1] == 0x5E {  // footnote reference `[^1]`
                        mask(i..<(close + 1))
                        i = close + 1
                    } else {
                        i += 1
                    }
                } else {
                    i += 1
                }
            case 0x68, 0x48, 0x66, 0x46, 0x77, 0x57:  // h f w: a bare URL?
                if let end = bareURL(at: i) {
                    mask(i..<end)
                    i = end
                } else {
                    i += 1
                }
            default:
                i += 1
            }
        }
    }

    func closingBackticks(run: Int, from start: Int) -> Int? {
        let limit = paragraphLimit(from: start)
        var i = start
        while i < limit {
            if bytes[i] == 0x60 {
                var length = 0
                while i + length < count && bytes[i + length] == 0x60 { length += 1 }
                if length == run { return i }
                i += length
            } else {
                i += 1
            }
        }
        return nil
    }

    /// `<https://example.com>` or `<someone@example.com>`.
    func autolink(at index: Int) -> Int? {
        let limit = min(count, index + 2048)
        var i = index + 1
        var sawColon = false, sawAt = false
        while i < limit {
            let byte = bytes[i]
            if byte == 0x3E { return (sawColon || sawAt) && i > index + 1 ? i + 1 : nil }
            if Self.isSpace(byte) || byte == 0x3C { return nil }
            if byte == 0x3A { sawColon = true }
            if byte == 0x40 { sawAt = true }
            i += 1
        }
        return nil
    }

    /// The `]` that closes the `[` at `open`, within the paragraph.
    func matchingBracket(from open: Int) -> Int? {
        matchingClose(from: open, opener: 0x5B, closer: 0x5D)
    }

    /// The `closer` that balances the `opener` at `open`, within the paragraph, skipping
    /// backslash-escaped bytes.
    func matchingClose(from open: Int, opener: UInt8, closer: UInt8) -> Int? {
        let limit = paragraphLimit(from: open)
        var depth = 0
        var i = open
        while i < limit {
            switch bytes[i] {
            case 0x5C: i += 1
            case opener: depth += 1
            case closer:
                depth -= 1
                if depth == 0 { return i }
            default: break
            }
            i += 1
        }
        return nil
    }

    /// After a link's `]`: `(destination "title")` or `[label]`; the end of it, or nil when the
    /// bracket is plain text (`[sic]`).
    func linkTail(after close: Int) -> Int? {
        let next = close + 1
        guard next < count else { return nil }
        if bytes[next] == 0x28 {  // '('
            return matchingClose(from: next, opener: 0x28, closer: 0x29).map { $0 + 1 }
        }
        if bytes[next] == 0x5B, let end = matchingBracket(from: next) { return end + 1 }
        return nil
    }
}
