import Foundation
import JSON
import Testing

/// Positions as a client counts them, computed the slow, obvious way (from Swift's own views of the
/// string), independently of the server's `LineIndex`.
struct ClientText {
    var text: String
    let encoding: String

    func width(_ s: Substring) -> Int {
        switch encoding {
        case "utf-8": return s.utf8.count
        case "utf-16": return s.utf16.count
        default: return s.unicodeScalars.count
        }
    }

    /// The offset of the first occurrence of `needle`, in the encoding's units.
    func offset(of needle: String) -> Int {
        let range = text.range(of: needle)!
        return width(text[..<range.lowerBound])
    }

    /// The LSP position of the first occurrence of `needle` (or its end).
    func position(of needle: String, end: Bool = false) -> JSONValue {
        let range = text.range(of: needle)!
        let index = end ? range.upperBound : range.lowerBound
        let before = text.unicodeScalars[..<index]
        // Line ends: \n, \r\n, \r, as LSP counts them.
        var line = 0
        var lineStart = text.unicodeScalars.startIndex
        var i = text.unicodeScalars.startIndex
        while i < index {
            let scalar = text.unicodeScalars[i]
            let next = text.unicodeScalars.index(after: i)
            if scalar == "\n" || (scalar == "\r" && (next == text.unicodeScalars.endIndex || text.unicodeScalars[next] != "\n")) {
                line += 1
                lineStart = next
            }
            i = next
        }
        _ = before
        let character = width(Substring(text.unicodeScalars[lineStart..<index]))
        return ["line": .integer(Int64(line)), "character": .integer(Int64(character))]
    }

    func range(of needle: String) -> JSONValue {
        ["start": position(of: needle), "end": position(of: needle, end: true)]
    }

    /// Applies a replacement of the first occurrence of `needle`, as the client's buffer would.
    mutating func replace(_ needle: String, with replacement: String) {
        text = text.replacingOccurrences(of: needle, with: replacement, options: [], range: text.range(of: needle))
    }
}

@Suite("documents over stdio: incremental edits in every encoding", .serialized)
struct DocumentSyncTests {
    static let original = "Line one 🙂 ok\r\nقال الوزير: «سنعود»\nend"

    @Test(arguments: ["utf-8", "utf-16", "utf-32"])
    func incrementalEditsInArabicAndEmojiTextKeepOffsetsExact(encoding: String) throws {
        let server = try ServerProcess()
        let negotiated = try server.initialize(encodings: [encoding])
        #expect(negotiated["capabilities"]?["positionEncoding"] == .string(encoding))
        let uri = "file:///e2e/\(encoding).txt"
        var client = ClientText(text: Self.original, encoding: encoding)
        server.notify("textDocument/didOpen", ["textDocument": [
            "uri": .string(uri), "languageId": "plaintext", "version": 1, "text": .string(client.text)]])
        _ = try server.diagnostics(uri: uri, version: 1)

        // 1. Insert an emoji with a skin-tone modifier (two scalars, four UTF-16 units) before the Arabic line's text.
        let insertAt = client.position(of: "قال")
        server.notify("textDocument/didChange", [
            "textDocument": ["uri": .string(uri), "version": 2],
            "contentChanges": [["range": ["start": insertAt, "end": insertAt], "text": "👍🏽 "]]])
        client.replace("قال", with: "👍🏽 قال")

        // 2. Replace a word after the emoji on the same line, and one on the first line, in one batch.
        let wordRange = client.range(of: "الوزير")
        let okRange = client.range(of: "ok")
        server.notify("textDocument/didChange", [
            "textDocument": ["uri": .string(uri), "version": 3],
            "contentChanges": [
                ["range": wordRange, "text": "المتحدثُ باسم الوزارة 🙂"],
                ["range": okRange, "text": "é\u{301}"],
            ]])
        client.replace("الوزير", with: "المتحدثُ باسم الوزارة 🙂")
        client.replace("ok", with: "é\u{301}")

        // The document on the server is now the client's text: the quote sits exactly where the client sees it.
        let result = try server.call("scholia/annotate", ["uri": .string(uri)])
        #expect(result["version"] == 3)
        let quote = try #require(result["annotations"]?.arrayValue?.first { $0["kind"] == "quote" })
        #expect(quote["text"] == "«سنعود»")
        #expect(quote["start"] == .integer(Int64(client.offset(of: "«"))))
        #expect(quote["end"] == .integer(Int64(client.offset(of: "»") + client.width("»"))))
        #expect(quote["range"] == client.range(of: "«سنعود»"))

        // The published diagnostics carry the same range.
        let diagnostics = try server.diagnostics(uri: uri, version: 3)
        let quoteDiagnostic = try #require(diagnostics.first { $0["code"] == "quote" })
        #expect(quoteDiagnostic["range"] == client.range(of: "«سنعود»"))
        #expect(quoteDiagnostic["source"] == "scholia")
        #expect(try server.shutdownAndExit() == 0)
    }

    @Test func anEditOutsideTheDocumentIsRejectedAndTheDocumentKept() throws {
        let server = try ServerProcess()
        try server.initialize(encodings: ["utf-16"])
        let uri = "file:///e2e/range.txt"
        let text = "قال الوزير: «سنعود»\n"
        server.notify("textDocument/didOpen", ["textDocument": [
            "uri": .string(uri), "languageId": "plaintext", "version": 1, "text": .string(text)]])
        // A batch whose second change is out of range: nothing of it may be applied.
        server.notify("textDocument/didChange", [
            "textDocument": ["uri": .string(uri), "version": 2],
            "contentChanges": [
                ["range": ["start": ["line": 0, "character": 0], "end": ["line": 0, "character": 0]], "text": "XX"],
                ["range": ["start": ["line": 40, "character": 0], "end": ["line": 40, "character": 2]], "text": "y"],
            ]])
        let log = try server.waitFor { $0["method"] == "window/logMessage" && $0["params"]?["type"] == 1 }
        #expect(log["params"]?["message"]?.stringValue?.contains("line 40") == true)
        let result = try server.call("scholia/annotate", ["uri": .string(uri)])
        #expect(result["version"] == 1)
        let quote = try #require(result["annotations"]?.arrayValue?.first { $0["kind"] == "quote" })
        #expect(quote["start"] == .integer(Int64(ClientText(text: text, encoding: "utf-16").offset(of: "«"))))
        // Half of a surrogate pair is refused as well.
        server.notify("textDocument/didChange", [
            "textDocument": ["uri": .string(uri), "version": 2],
            "contentChanges": [["text": "a🙂b"]]])
        server.notify("textDocument/didChange", [
            "textDocument": ["uri": .string(uri), "version": 3],
            "contentChanges": [["range": ["start": ["line": 0, "character": 2], "end": ["line": 0, "character": 3]], "text": ""]]])
        _ = try server.waitFor { $0["method"] == "window/logMessage" && $0["params"]?["message"]?.stringValue?.contains("inside a character") == true }
        #expect(try server.call("scholia/annotate", ["uri": .string(uri)])["version"] == 2)
        #expect(try server.shutdownAndExit() == 0)
    }

    @Test func theSeedArticleIsAnnotatedOverStdio() throws {
        let seed = try String(contentsOf: seedURL(), encoding: .utf8)
        let server = try ServerProcess()
        try server.initialize(encodings: ["utf-16"])
        let uri = "file:///seeds/000_8c0ffeb5a460f4f0.txt"
        server.notify("textDocument/didOpen", ["textDocument": [
            "uri": .string(uri), "languageId": "plaintext", "version": 1, "text": .string(seed)]])
        let diagnostics = try server.diagnostics(uri: uri, version: 1)
        let quotes = diagnostics.filter { $0["code"] == "quote" }
        #expect(quotes.count == 1)
        let client = ClientText(text: seed, encoding: "utf-16")
        let quoteText = try #require(quotes.first?["data"]?["text"]?.stringValue)
        #expect(quotes.first?["range"] == client.range(of: quoteText))
        #expect(try server.shutdownAndExit() == 0)
    }
}

/// The seed article, found from this source file's location (Tests/EndToEndTests/ → repository root).
func seedURL() -> URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("seeds/000_8c0ffeb5a460f4f0.txt")
}
