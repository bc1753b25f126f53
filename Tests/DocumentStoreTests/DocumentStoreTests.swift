import DocumentStore
import ScholiaTestSupport
import Testing
import TextModel

@Suite struct DocumentStoreTests {
    /// An edit expressed as LSP would send it: the range found from `¦` marks in `before`.
    func change(_ marked: String, to replacement: String, encoding: PositionEncoding) -> (String, DocumentChange) {
        let fixture = MarkedText(marked)
        let index = LineIndex(fixture.text)
        let range = index.range(ofUTF8: fixture.positions[0]..<fixture.positions[1], in: encoding)
        return (fixture.text, DocumentChange(range: range, text: replacement))
    }

    static let edits: [(marked: String, replacement: String, expected: String)] = [
        ("قال ¦الوزير¦ للصحفيين", "المتحدث", "قال المتحدث للصحفيين"),
        ("emoji 😀¦ here¦ 👨‍👩‍👧 end", " 🇯🇵", "emoji 😀 🇯🇵 👨‍👩‍👧 end"),
        ("cafe\u{0301}¦¦ noir", "\u{0323}", "cafe\u{0301}\u{0323} noir"),
        ("line one\r\n¦line¦ two\r\n", "LINE", "line one\r\nLINE two\r\n"),
        ("«ربما ¦كان¦ مسافرًا»", "يكون", "«ربما يكون مسافرًا»"),
        ("first 😀 line\nsecond ¦😀 😀¦ line", "", "first 😀 line\nsecond  line"),
    ]

    @Test(arguments: PositionEncoding.allCases)
    func incrementalEditsInEveryEncoding(encoding: PositionEncoding) throws {
        for edit in Self.edits {
            let (text, change) = change(edit.marked, to: edit.replacement, encoding: encoding)
            var store = DocumentStore()
            store.open(uri: "file:///a.txt", languageID: "plaintext", version: 1, text: text)
            let update = try store.change(uri: "file:///a.txt", version: 2, changes: [change], encoding: encoding)
            #expect(update.after.text == edit.expected, "\(encoding): \(edit.marked)")
            #expect(update.before.text == text)
            #expect(store["file:///a.txt"]?.version == 2)
        }
    }

    @Test func aChangeSaysWhatItLeftAloneAtEitherEnd() throws {
        var store = DocumentStore()
        store.open(uri: "u", languageID: "plaintext", version: 1, text: "one two three four")
        #expect(store["u"]?.unchanged == nil)
        // Two changes in one notification: "one TWO three 4our".
        let update = try store.change(uri: "u", version: 2, changes: [
            DocumentChange(range: TextRange(start: .init(line: 0, character: 4), end: .init(line: 0, character: 7)), text: "TWO"),
            DocumentChange(range: TextRange(start: .init(line: 0, character: 14), end: .init(line: 0, character: 15)), text: "4"),
        ], encoding: .utf16)
        #expect(update.after.text == "one TWO three 4our")
        #expect(update.after.unchanged == UnchangedEnds(version: 1, prefix: 4, suffix: 3))
    }

    @Test func changesApplyInOrderEachOnTheResultOfTheLast() throws {
        var store = DocumentStore()
        store.open(uri: "u", languageID: "plaintext", version: 1, text: "ab")
        let first = DocumentChange(range: TextRange(start: .init(line: 0, character: 2), end: .init(line: 0, character: 2)), text: "😀")
        // After the first change the emoji counts two UTF-16 units; "c" goes after it.
        let second = DocumentChange(range: TextRange(start: .init(line: 0, character: 4), end: .init(line: 0, character: 4)), text: "c")
        try store.change(uri: "u", version: 2, changes: [first, second], encoding: .utf16)
        #expect(store["u"]?.text == "ab😀c")
    }

    @Test func aBatchWithOneBadRangeLeavesTheDocumentAsItWas() {
        var store = DocumentStore()
        store.open(uri: "u", languageID: "plaintext", version: 1, text: "one\ntwo")
        let good = DocumentChange(range: TextRange(start: .init(line: 0, character: 0), end: .init(line: 0, character: 3)), text: "ONE")
        let bad = DocumentChange(range: TextRange(start: .init(line: 5, character: 0), end: .init(line: 5, character: 1)), text: "x")
        #expect(throws: DocumentStoreError.self) {
            try store.change(uri: "u", version: 2, changes: [good, bad], encoding: .utf16)
        }
        #expect(store["u"]?.text == "one\ntwo")
        #expect(store["u"]?.version == 1)
    }

    @Test func anEditInsideASurrogatePairIsRejected() {
        var store = DocumentStore()
        store.open(uri: "u", languageID: "plaintext", version: 1, text: "a😀b")
        let split = DocumentChange(range: TextRange(start: .init(line: 0, character: 2), end: .init(line: 0, character: 2)), text: "x")
        do {
            try store.change(uri: "u", version: 2, changes: [split], encoding: .utf16)
            Issue.record("expected a rejection")
        } catch {
            #expect(error.code == .rangeOutsideDocument)
            #expect(error.message.contains("inside a character"))
        }
        #expect(store["u"]?.text == "a😀b")
    }

    @Test func fullReplacementHasNoRange() throws {
        var store = DocumentStore()
        store.open(uri: "u", languageID: "plaintext", version: 1, text: "old")
        try store.change(uri: "u", version: 2, changes: [DocumentChange(range: nil, text: "new text")], encoding: .utf16)
        #expect(store["u"]?.text == "new text")
    }

    @Test func staleVersionsAndUnknownDocumentsAreRefused() {
        var store = DocumentStore()
        store.open(uri: "u", languageID: "plaintext", version: 5, text: "x")
        #expect(throws: DocumentStoreError(.staleVersion, "version 5 of u is not newer than version 5")) {
            try store.change(uri: "u", version: 5, changes: [DocumentChange(range: nil, text: "y")], encoding: .utf16)
        }
        #expect(throws: DocumentStoreError(.notOpen, "document v is not open")) {
            try store.change(uri: "v", version: 1, changes: [], encoding: .utf16)
        }
        #expect(throws: DocumentStoreError(.notOpen, "document v is not open")) { try store.close(uri: "v") }
    }
}
