import AnnotationModel
import Evaluation
import JSON
import Testing

@Suite struct JSONGoldReaderTests {
    func read(_ json: String, files: [String: String] = [:]) throws(GoldError) -> [GoldDocument] {
        try JSONGoldReader().read(bytes: Array(json.utf8), path: "g.json") { (name: String) throws(GoldError) -> (text: String, path: String) in
            guard let text = files[name] else { throw GoldError(file: name, message: "no such file") }
            return (text, "dir/" + name)
        }
    }

    /// The same two spans (`ربما نفوز` and `maybe`) in each unit.
    @Test(arguments: [("utf-32", 15, 24, 52, 57), ("utf-16", 16, 25, 55, 60), ("utf-8", 29, 46, 86, 91)])
    func allThreeEncodings(encoding: String, arStart: Int, arEnd: Int, enStart: Int, enEnd: Int) throws {
        let text = JSONValue.string(mixedText).serializedString()
        let json = """
            {"text": \(text), "language": "ar", "positionEncoding": "\(encoding)", "annotations": [
              {"kind": "hedge", "start": \(arStart), "end": \(arEnd), "text": "ربما نفوز", "attributes": {"category": "adverb", "n": 2, "tags": ["a", true]}},
              {"kind": "hedge", "start": \(enStart), "end": \(enEnd)}
            ]}
            """
        let documents = try read(json)
        #expect(documents.count == 1)
        #expect(documents[0].language == .arabic)
        #expect(documents[0].spans.map(\.range) == [29..<46, 86..<91])
        #expect(documents[0].spans.map(\.text) == ["ربما نفوز", "maybe"])
        #expect(documents[0].spans[0].attributes == ["category": "adverb", "n": 2, "tags": .list(["a", true])])
    }

    @Test func defaultIsCodePointsAndTextFileIsRead() throws {
        let documents = try read(#"{"textFile": "a.txt", "annotations": [{"kind": "cue", "start": 2, "end": 5, "text": "قال"}]}"#,
                                 files: ["a.txt": mixedText])
        #expect(documents[0].textPath == "dir/a.txt")
        #expect(documents[0].spans[0].range == 5..<11)
        #expect(documents[0].language == nil)
    }

    @Test func arrayOfDocuments() throws {
        let documents = try read(#"[{"id": "one", "text": "a b", "annotations": []}, {"text": "c", "annotations": [{"kind": "quote", "start": 0, "end": 1}]}]"#)
        #expect(documents.map(\.id) == ["g.json#one", "g.json[1]"])
        #expect(documents[1].spans.count == 1)
    }

    @Test func mismatchedTextIsAnError() {
        // UTF-16 offsets read as code points: off by one after the emoji.
        let json = #"{"text": "😀 قال", "annotations": [{"kind": "cue", "start": 3, "end": 6, "text": "قال"}]}"#
        do {
            _ = try read(json)
            Issue.record("accepted")
        } catch {
            #expect(error.description.hasPrefix("g.json: annotations[0].end: 6 lies outside the text"))
        }
        let wrong = #"{"text": "😀 قال", "annotations": [{"kind": "cue", "start": 1, "end": 4, "text": "قال"}]}"#
        #expect(throws: GoldError(file: "g.json", message: "annotations[0].text: 'قال' differs from the text at utf-32 offsets: ' قا'")) {
            try read(wrong)
        }
    }

    @Test func offsetInsideACharacterIsAnError() {
        let json = #"{"text": "😀 x", "positionEncoding": "utf-16", "annotations": [{"kind": "cue", "start": 1, "end": 4}]}"#
        #expect(throws: GoldError(file: "g.json", message: "annotations[0].start: 1 falls inside a character in utf-16 units")) {
            try read(json)
        }
    }

    @Test func malformedGoldIsOneLineWithAPlace() {
        let cases = [
            "{\n\"text\": \"x\",\n\"annotations\": [\n}",
            #"{"annotations": []}"#,
            #"{"text": "x", "textFile": "a", "annotations": []}"#,
            #"{"text": "x"}"#,
            #"{"text": "x", "annotations": [{"start": 0, "end": 1}]}"#,
            #"{"text": "x", "annotations": [{"kind": "cue", "start": 1, "end": 0}]}"#,
            #"{"text": "x", "positionEncoding": "latin-1", "annotations": []}"#,
            #"{"text": "x", "annotations": [{"kind": "cue", "start": 0, "end": 1, "attributes": {"a": null}}]}"#,
            "42",
        ]
        for json in cases {
            do {
                _ = try read(json)
                Issue.record("accepted \(json)")
            } catch {
                #expect(error.description.hasPrefix("g.json"))
                #expect(!error.description.contains("\n"))
            }
        }
        do {
            _ = try read("{\n\"text\": \"x\",\n\"annotations\": [\n}")
        } catch {
            #expect(error.line == 4)
        }
    }
}
