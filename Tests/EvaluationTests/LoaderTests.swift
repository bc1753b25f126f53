import AnnotationModel
import Evaluation
import Foundation
import Testing

/// File handling: a PolNeAR-shaped folder (`attributions/` beside `text/`, annotator in the .ann
/// name, two annotators of one text) written to a temporary directory.
@Suite final class GoldLoaderTests {
    let root: String

    deinit { try? FileManager.default.removeItem(atPath: root) }

    init() throws {
        root = NSTemporaryDirectory() + "scholia-eval-\(UUID().uuidString)"
        let fm = FileManager.default
        try fm.createDirectory(atPath: root + "/corpus/attributions", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: root + "/corpus/text", withIntermediateDirectories: true)
        try mixedText.write(toFile: root + "/corpus/text/story_one.txt", atomically: true, encoding: .utf8)
        try "T1\tCue 2 5\tقال\n".write(toFile: root + "/corpus/attributions/story_one_aa11.ann", atomically: true, encoding: .utf8)
        try "T1\tSource 6 13\tالمتحدث\n".write(toFile: root + "/corpus/attributions/story_one_bb22.ann", atomically: true, encoding: .utf8)
        try "hello".write(toFile: root + "/alone.txt", atomically: true, encoding: .utf8)
        try "T1\tCue 0 5\thello\n".write(toFile: root + "/alone.ann", atomically: true, encoding: .utf8)
        try #"{"textFile": "alone.txt", "annotations": [{"kind": "quote", "start": 0, "end": 5, "text": "hello"}]}"#
            .write(toFile: root + "/gold.json", atomically: true, encoding: .utf8)
    }

    @Test func directoryUsesOneAnnotatorPerText() throws {
        var loader = GoldLoader()
        let documents = try loader.load(root + "/corpus")
        #expect(documents.count == 1)
        #expect(documents[0].textPath == root + "/corpus/text/story_one.txt")
        #expect(documents[0].spans.map(\.kind) == [.cue])
        #expect(loader.skipped == [root + "/corpus/attributions/story_one_bb22.ann"])
    }

    @Test func singleFilesByExtension() throws {
        var loader = GoldLoader()
        #expect(try loader.load(root + "/alone.ann")[0].spans.map(\.text) == ["hello"])
        let json = try loader.load(root + "/gold.json")
        #expect(json[0].textPath == root + "/alone.txt")
        #expect(json[0].spans.map(\.kind) == [.quote])
    }

    @Test func missingFilesAreOneLineErrors() {
        var loader = GoldLoader()
        #expect(throws: GoldError(file: root + "/nope.ann", message: "no such file or directory")) {
            try loader.load(root + "/nope.ann")
        }
        var asSzeged = GoldLoader(format: .szeged)
        #expect(throws: GoldError.self) { try asSzeged.load(root + "/corpus") }
    }

    @Test func predictionsAreReadAndPlacedOnTheGoldText() throws {
        let jsonl = """
            {"path":"a.txt","language":"ar","annotations":[{"id":"cue-1","kind":"cue","start":2,"end":5,"text":"قال"}]}

            {"path":"b.txt","language":"en","annotations":[]}
            """
        let records = try PredictionRecord.read(bytes: Array(jsonl.utf8), path: "p.jsonl")
        #expect(records.map(\.path) == ["a.txt", "b.txt"])
        #expect(records[0].origin == "p.jsonl:1")
        #expect(try records[0].spans(over: mixedText, encoding: .utf32).map(\.range) == [5..<11])
        // The same record in UTF-16 units does not fit: the text check catches it.
        #expect(throws: GoldError.self) { try records[0].spans(over: mixedText, encoding: .utf16) }
        #expect(throws: GoldError(file: "q.jsonl", line: 2, message: "invalid JSON: invalid token near 'nope'")) {
            try PredictionRecord.read(bytes: Array("{\"path\":\"a\",\"annotations\":[]}\nnope\n".utf8), path: "q.jsonl")
        }
    }
}
