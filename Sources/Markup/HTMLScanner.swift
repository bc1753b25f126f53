/// HTML, read only as far as telling text from markup.
extension MarkupScanner {
    /// Elements whose content is not prose: scripts, styles, code.
    static let opaqueElements: Set<String> = [
        "script", "style", "code", "pre", "kbd", "samp", "textarea", "template", "svg", "math", "noscript",
    ]
    /// Elements that end a paragraph of text: the view gets a line break where their tag was.
    static let blockElements: Set<String> = [
        "p", "div", "br", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
        "section", "article", "header", "footer", "nav", "aside", "main", "table", "thead", "tbody", "tr", "td",
        "th", "hr", "figure", "figcaption", "title", "body", "head", "html", "caption", "details", "summary",
    ]

    mutating func scanHTML() {
        var i = 0
        while i < count {
            let byte = bytes[i]
            if byte == 0x3C {  // '<'
                if starts(with: "<!--", at: i) {
                    i = comment(at: i)
                    continue
                }
                if starts(with: "<![CDATA[", at: i) {
                    let end = find("]]>", from: i).map { $0 + 3 } ?? count
                    mask(i..<end)
                    i = end
                    continue
                }
                if let tag = tag(at: i, limit: count) {
                    mask(i..<tag.end)
                    if Self.blockElements.contains(tag.name) { bytes[i] = Self.newline }
                    if !tag.closing, Self.opaqueElements.contains(tag.name),
                       !(tag.end >= 2 && bytes[tag.end - 2] == 0x2F && original[tag.end - 2] == 0x2F)
                    {
                        // Everything up to the matching end tag, which goes too.
                        let close = find("</\(tag.name)", from: tag.end, caseInsensitive: true) ?? count
                        let end = close < count ? (self.tag(at: close, limit: count)?.end ?? close) : count
                        mask(tag.end..<end)
                        i = end
                    } else {
                        i = tag.end
                    }
                    continue
                }
                i += 1
            } else if byte == 0x68 || byte == 0x48 || byte == 0x66 || byte == 0x46 || byte == 0x77 || byte == 0x57,
                      let end = bareURL(at: i)
            {
                mask(i..<end)
                i = end
            } else {
                i += 1
            }
        }
        // Whitespace collapses in HTML: a line break between two lines of text is a space. Blank
        // lines and the breaks put where block tags were stay, so paragraphs stay apart.
        var lineStart = 0
        var k = 0
        while k < count {
            if bytes[k] == Self.newline || bytes[k] == Self.carriageReturn {
                var next = k + 1
                if bytes[k] == Self.carriageReturn, next < count, bytes[next] == Self.newline { next += 1 }
                var nextEnd = next
                while nextEnd < count && bytes[nextEnd] != Self.newline && bytes[nextEnd] != Self.carriageReturn { nextEnd += 1 }
                let isOriginalBreak = original[k] == Self.newline || original[k] == Self.carriageReturn
                if isOriginalBreak && !isBlank(lineStart..<k) && next < count && !isBlank(next..<nextEnd) {
                    joinLine(atBreak: k)
                    // The joined line goes on: its start stays where it was.
                } else {
                    lineStart = next
                }
                k = next
            } else {
                k += 1
            }
        }
        closeDirectives()
    }
}
