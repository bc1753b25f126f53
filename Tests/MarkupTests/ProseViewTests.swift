import Markup
import ScholiaTestSupport
import Testing

/// The view of `text`, with every masked byte shown as a space (as the view has it).
func view(_ text: String, _ format: MarkupFormat = .markdown) -> String { ProseView(text, format: format).text }

/// The original text of a view range.
func original(_ text: String, _ viewRange: Range<Int>, _ format: MarkupFormat = .markdown) -> String {
    let range = ProseView(text, format: format).originalRange(of: viewRange)
    return String(decoding: Array(text.utf8)[range], as: UTF8.self)
}

func viewRange(of needle: String, in view: ProseView) -> Range<Int> {
    let bytes = view.utf8, n = Array(needle.utf8)
    let start = (0...(bytes.count - n.count)).first { bytes[$0..<($0 + n.count)].elementsEqual(n) }!
    return start..<(start + n.count)
}

func spaces(_ n: Int) -> String { String(repeating: " ", count: n) }

@Suite struct ProseViewTests {
    @Test func formatsFollowTheLanguageID() {
        #expect(MarkupFormat(languageID: "markdown") == .markdown)
        #expect(MarkupFormat(languageID: "HTML") == .html)
        #expect(MarkupFormat(languageID: "plaintext") == .plaintext)
        #expect(MarkupFormat(languageID: "swift") == .plaintext)
    }

    @Test func plainTextIsItsOwnView() {
        let text = "# not a heading `x` <b> https://x.y &amp;"
        let prose = ProseView(text, format: .plaintext)
        #expect(prose.text == text)
        #expect(prose.isIdentity)
        #expect(prose.originalRange(of: 3..<7) == 3..<7)
    }

    @Test func fencedAndIndentedCodeBlocksAreMaskedKeepingLines() {
        #expect(view("Intro may\n```swift\nmay code\n```\nAfter") == "Intro may\n\(spaces(8))\n\(spaces(8))\n\(spaces(3))\nAfter")
        #expect(view("Text\n\n    may code\n    more\n\nText") == "Text\n\n\(spaces(12))\n\(spaces(8))\n\nText")
        #expect(view("~~~~\n```\nmay\n~~~~\nok") == "\(spaces(4))\n\(spaces(3))\n\(spaces(3))\n\(spaces(4))\nok")
        // An unclosed fence runs to the end, as CommonMark says.
        #expect(view("a\n```\nmay") == "a\n\(spaces(3))\n\(spaces(3))")
    }

    @Test func indentationInsideAListIsContinuationNotCode() {
        #expect(view("- item\n\n    still the item may") == "  item\n\n    still the item may")
    }

    @Test func inlineCodeSpansAreMasked() {
        #expect(view("Use `may` and ``a ` b`` here") == "Use \(spaces(5)) and \(spaces(9)) here")
        #expect(view("A lone ` stays") == "A lone ` stays")
    }

    @Test func linksKeepTheirTextAndLoseTheirDestination() {
        let text = "[the minister](https://x.y/z \"t\") said [sic] and ![a chart](c.png) [ref][1]"
        #expect(view(text) == " the minister\(spaces(20)) said [sic] and \(spaces(17))  ref\(spaces(4))")
    }

    @Test func urlsAndAutolinksAreMaskedButNotTheSentenceAroundThem() {
        #expect(view("See https://example.com/a_(b). Then") == "See \(spaces(25)). Then")
        #expect(view("At www.example.org, she said") == "At \(spaces(15)), she said")
        #expect(view("Mail <news@example.com> or <https://x.y>") == "Mail \(spaces(18)) or \(spaces(13))")
        #expect(view("“https://example.com/مصر”") == "“\(spaces("https://example.com/مصر".utf8.count))”")
    }

    @Test func htmlTagsAndCommentsInMarkdownAreMasked() {
        #expect(view("He <b>may</b> go <!-- note --> now") == "He \(spaces(3))may\(spaces(4)) go \(spaces(13)) now")
        #expect(view("a < b and c > d") == "a < b and c > d")
    }

    @Test func frontMatterIsMasked() {
        #expect(view("---\ntitle: may\n---\nText may") == "\(spaces(3))\n\(spaces(10))\n\(spaces(3))\nText may")
        #expect(view("+++\nx = 1\n+++\nok") == "\(spaces(3))\n\(spaces(5))\n\(spaces(3))\nok")
    }

    @Test func blockMarkersAreMasked() {
        #expect(view("# Title may #\n\n- one\n* [x] two\n1. three\n> quoted\n> > deeper") ==
            "  Title may  \n\n  one\n      two\n   three\n  quoted     deeper")
        #expect(view("---\n\nText\n===") == "\(spaces(3))\n\nText\n\(spaces(3))")
        #expect(view("[id]: https://example.com \"Title\"\nText") == "\(spaces(33))\nText")
        #expect(view("A\\*B") == "A *B")
    }

    @Test func tablesLoseTheirPipesAndDelimiterRows() {
        #expect(view("| a | b |\n|---|:-:|\n| may | x |") == "  a   b  \n\(spaces(9))\n  may   x  ")
    }

    @Test func softLineBreaksJoinAParagraphIntoOneLine() {
        #expect(view("He said “we\nmay go”.\n\nNext\n# Head\nText") == "He said “we may go”.\n\nNext\n  Head\nText")
        #expect(view("- item\n  continues\n- next") == "  item   continues\n  next")
        #expect(view("one\r\ntwo") == "one  two")
    }

    @Test func entitiesAreDecodedAndMapBackExactly() {
        let text = "AT&amp;T said &ldquo;we may&rdquo; &#x1F600; &#8220;x&#8221; &bogus; &amp"
        let prose = ProseView(text, format: .markdown)
        #expect(prose.text == "AT&T said “we may” 😀 “x” &bogus; &amp")
        #expect(original(text, viewRange(of: "may", in: prose)) == "may")
        #expect(original(text, viewRange(of: "“we may”", in: prose)) == "&ldquo;we may&rdquo;")
        #expect(original(text, viewRange(of: "AT&T", in: prose)) == "AT&amp;T")
        #expect(original(text, viewRange(of: "😀", in: prose)) == "&#x1F600;")
        #expect(original(text, viewRange(of: "&bogus;", in: prose)) == "&bogus;")
        // Offsets round-trip.
        let may = viewRange(of: "may", in: prose)
        #expect(prose.viewOffset(ofOriginal: prose.originalStart(may.lowerBound)) == may.lowerBound)
    }

    @Test func entitiesInCodeAreNotDecoded() {
        #expect(view("`&amp;` &amp;") == "\(spaces(7)) &")
    }

    @Test func htmlKeepsTextAndParagraphs() {
        let text = "<html><head><title>T</title><style>p { x: 1 }</style></head>\n<body><p class=\"a>b\">He said\n&ldquo;we <b>may</b> go&rdquo;</p>\n<script>var may = 1;</script><pre>may()</pre><p>Next <code>may</code> one</p></body></html>"
        let prose = ProseView(text, format: .html)
        // Inline tags leave spaces where they were; words stay apart as they were.
        let lines = prose.text.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }.filter { !$0.isEmpty }
        #expect(lines == ["T", "He said “we may go”", "Next one"])
        #expect(original(text, viewRange(of: "“we", in: prose), .html) == "&ldquo;we")
        #expect(original(text, viewRange(of: "may", in: prose), .html) == "may")
    }

    @Test func htmlEntitiesAndUrlsInText() {
        #expect(view("<p>Tom &amp; Jerry https://x.y/z.</p>", .html) == "\n  Tom & Jerry \(spaces(13)).\n   ")
    }

    @Test func arabicAndEmojiSurviveAndMaskedBytesStayValidUTF8() {
        let text = "قال الوزير: «ربما» 😀 `كود عربي` <span title=\"😀\">نص</span>"
        let prose = ProseView(text, format: .markdown)
        #expect(prose.utf8.count == text.utf8.count)
        #expect(String(validating: prose.utf8, as: UTF8.self) != nil)
        #expect(prose.text.hasPrefix("قال الوزير: «ربما» 😀 "))
        #expect(prose.text.contains("نص"))
        #expect(!prose.text.contains("كود"))
    }

    @Test func disableNextLineSuppressesTheFollowingLine() {
        let text = "may\n<!-- scholia-disable-next-line -->\nmay here\nmay"
        let prose = ProseView(text, format: .markdown)
        let second = MarkedText("may\n<!-- scholia-disable-next-line -->\n⟦may here⟧\nmay").spans[0]
        #expect(prose.suppressions == [Suppression(range: second, names: nil)])
        #expect(prose.isSuppressed(originalRange: second.lowerBound..<(second.lowerBound + 3), module: "any", kind: "hedge"))
        #expect(!prose.isSuppressed(originalRange: 0..<3, module: "any", kind: "hedge"))
    }

    @Test func disableAndEnableMakeRegionsPerModule() {
        let marked = MarkedText("a <!-- scholia-disable hedging, quotations -->⟦b <!-- scholia-disable -->⟦c ⟧⟧<!-- scholia-enable -->d <!-- scholia-disable-line sources --> e")
        let prose = ProseView(marked.text, format: .markdown)
        let all = prose.suppressions.first { $0.names == nil }
        #expect(all?.range == marked.spans[1])
        let hedging = prose.suppressions.first { $0.names == ["hedging"] }
        #expect(hedging?.range == marked.spans[0])
        #expect(prose.suppressions.contains { $0.names == ["quotations"] && $0.range == marked.spans[0] })
        #expect(prose.suppressions.contains { $0.names == ["sources"] })
        #expect(prose.isSuppressed(originalRange: marked.spans[0].lowerBound..<(marked.spans[0].lowerBound + 1), module: "x", kind: "hedge") == false)
        #expect(prose.isSuppressed(originalRange: marked.spans[0].lowerBound..<(marked.spans[0].lowerBound + 1), module: "hedging", kind: "hedge"))
    }

    @Test func anUnclosedDisableRunsToTheEnd() {
        let text = "a <!-- scholia-disable -->b c"
        #expect(ProseView(text, format: .html).suppressions == [Suppression(range: 26..<29, names: nil)])
    }

    @Test func directivesInsideCodeAreNotDirectives() {
        #expect(ProseView("```\n<!-- scholia-disable -->\n```\nmay", format: .markdown).suppressions.isEmpty)
        #expect(ProseView("`<!-- scholia-disable -->` may", format: .markdown).suppressions.isEmpty)
        #expect(ProseView("<!-- scholia-disable -->", format: .plaintext).suppressions.isEmpty)
    }

    /// Whatever the input, the view is valid UTF-8, never longer than the original, and maps every
    /// range back inside the original.
    @Test(arguments: [MarkupFormat.markdown, .html])
    func arbitraryInputNeverBreaksTheView(format: MarkupFormat) {
        let pieces = ["<", ">", "&", "&amp;", "&#", ";", "`", "```", "\n", "\r\n", "[", "]", "(", ")", "!", "<!--", "-->",
                      "http://", "www.", "#", "-", "*", "|", ">", "    ", "«", "😀", "ربما", "a", " ", "\\", "---", "<p>", "</p>", "<script>", "\""]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let text = (0..<Int.random(in: 0...40, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            let prose = ProseView(text, format: format)
            #expect(String(validating: prose.utf8, as: UTF8.self) != nil, "\(text)")
            #expect(prose.utf8.count <= text.utf8.count)
            for start in stride(from: 0, through: prose.utf8.count, by: 3) {
                let range = prose.originalRange(of: start..<min(prose.utf8.count, start + 4))
                #expect(range.lowerBound >= 0 && range.upperBound <= text.utf8.count)
            }
        }
    }
}

extension Substring {
    var trimmingSpaces: String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
