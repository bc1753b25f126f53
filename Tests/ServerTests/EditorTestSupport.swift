import AnnotationModel
import JSON
import JSONRPC
import ModuleHost
import ScholiaTestSupport
import Synchronization
import Server
import Testing
import TextModel

/// A small, predictable attribution grammar, so editor features can be tested on sources, cues and
/// linked quotes without the real modules: `“...”` is a quote; `officials`, `analysts`, `Reuters`
/// and `the minister` are sources (named when capitalised or `the minister`), plus any words given in
/// `options["words"]`; `said` is a cue. A quote's speaker and cue are the nearest ones after it
/// (within 40 bytes), else before it; a cue's source is the nearest source within 20 bytes.
struct AttributionAnnotator: Annotator {
    let descriptor = ModuleDescriptor(
        name: "attribution", version: "1.0.0", description: "a toy attribution grammar (tests)",
        kinds: [KindDescriptor(kind: .source), KindDescriptor(kind: .cue), KindDescriptor(kind: .quote)],
        languages: [], scope: .paragraph)

    static let sources = ["officials", "Reuters", "the minister"]

    func annotate(_ request: AnnotationRequest) throws -> [Annotation] {
        let bytes = request.utf8
        func find(_ word: String) -> [Range<Int>] {
            let needle = Array(word.utf8)
            var result: [Range<Int>] = []
            var i = 0
            while i + needle.count <= bytes.count {
                if bytes[i..<(i + needle.count)].elementsEqual(needle) {
                    result.append(i..<(i + needle.count))
                    i += needle.count
                } else {
                    i += 1
                }
            }
            return result
        }
        var sources: [Annotation] = []
        for word in Self.sources + (request.options["words"] ?? []) {
            let named = word.first!.isUppercase || word == "the minister"
            for range in find(word) {
                sources.append(Annotation(module: "attribution", kind: .source, range: range, text: word,
                                          attributes: ["named": .bool(named)]))
            }
        }
        var cues = find("said").map { Annotation(module: "attribution", kind: .cue, range: $0, text: "said") }
        let opens = find("“"), closes = find("”")
        var quotes: [Annotation] = []
        for open in opens {
            // Paragraph-local, as its scope promises: a quote closes on its line or the next.
            guard let close = closes.first(where: { $0.lowerBound > open.lowerBound }),
                  withinNeighbours(open.lowerBound, close.lowerBound) else { continue }
            quotes.append(Annotation(module: "attribution", kind: .quote, range: open.lowerBound..<close.upperBound,
                                     text: "", attributes: ["partial": false, "closed": true]))
        }
        // Nothing reaches past the next or previous paragraph (one line each here).
        func withinNeighbours(_ a: Int, _ b: Int) -> Bool { bytes[min(a, b)..<max(a, b)].count(where: { $0 == 0x0A }) <= 1 }
        func nearest(_ candidates: [Annotation], to range: Range<Int>, within limit: Int) -> Annotation? {
            candidates.first { $0.start >= range.upperBound && $0.start - range.upperBound <= limit && withinNeighbours(range.upperBound, $0.start) }
                ?? candidates.last { $0.end <= range.lowerBound && range.lowerBound - $0.end <= limit && withinNeighbours($0.end, range.lowerBound) }
        }
        for index in cues.indices {
            if let source = nearest(sources, to: cues[index].range, within: 20) {
                cues[index].links.append(AnnotationLink(rel: AnnotationLink.source, target: source.id))
            }
        }
        for index in quotes.indices {
            if let speaker = nearest(sources, to: quotes[index].range, within: 40) {
                quotes[index].links.append(AnnotationLink(rel: AnnotationLink.speaker, target: speaker.id))
            }
            if let cue = nearest(cues, to: quotes[index].range, within: 40) {
                quotes[index].links.append(AnnotationLink(rel: AnnotationLink.cue, target: cue.id))
            }
        }
        return sources + cues + quotes
    }
}

/// Counts the texts it is asked to annotate (to see what incremental annotation re-runs).
final class CallLog: Sendable {
    private let texts = Mutex<[String]>([])
    func record(_ text: String) { texts.withLock { $0.append(text) } }
    var all: [String] { texts.withLock { $0 } }
    func reset() { texts.withLock { $0.removeAll() } }
}

/// Records every text it sees, then marks `may` as a hedge.
struct RecordingAnnotator: Annotator {
    let descriptor = ModuleDescriptor(
        name: "recording", version: "1.0.0", description: "records its inputs (tests)",
        kinds: [KindDescriptor(kind: .hedge, defaultSeverity: .hint)], languages: [], scope: .paragraph)
    let log: CallLog

    func annotate(_ request: AnnotationRequest) throws -> [Annotation] {
        log.record(request.text)
        return try KeywordAnnotator(name: "recording", words: ["may"]).annotate(request)
    }
}

func makeEditorClient(_ extra: [any Annotator] = []) -> TestClient {
    TestClient(registry: ModuleRegistry(builtins: [KeywordAnnotator(words: ["may", "ربما"]), AttributionAnnotator()] + extra))
}

extension TestClient {
    /// `initialize` with full client capabilities, then `initialized`.
    @discardableResult
    func initializeEditor(
        capabilities: JSONValue = [:], options: JSONValue? = nil, encodings: [String]? = nil
    ) throws -> JSONValue {
        var capabilities = capabilities.objectValue ?? JSONObject()
        if let encodings { capabilities["general"] = ["positionEncodings": .array(encodings.map { .string($0) })] }
        var params: JSONObject = ["processId": .null, "capabilities": .object(capabilities), "rootUri": .null]
        if let options { params["initializationOptions"] = options }
        let result = try call("initialize", .object(params))
        notify("initialized", [:])
        return result
    }

    /// Waits for a request the server sends, answers it with `result` and returns its params.
    @discardableResult
    func answerServerRequest(_ method: String, with result: JSONValue) throws -> JSONValue {
        let message = try waitFor { message in
            if case .request(_, let m, _) = message, m == method { return true }
            return false
        }
        guard case .request(let id, _, let params) = message else { throw TestClientError.unexpected(message) }
        server.receive(.single(.success(.response(id: id, result: .success(result)))))
        return params ?? .null
    }

    func change(uri: String, version: Int, text: String) {
        notify("textDocument/didChange", [
            "textDocument": ["uri": .string(uri), "version": .integer(Int64(version))],
            "contentChanges": [["text": .string(text)]],
        ])
    }

    func changeRange(uri: String, version: Int, range: TextRange, text: String) {
        notify("textDocument/didChange", [
            "textDocument": ["uri": .string(uri), "version": .integer(Int64(version))],
            "contentChanges": [["range": AnnotationJSONWriter.json(range), "text": .string(text)]],
        ])
    }
}

func textDocument(_ uri: String) -> JSONValue { ["uri": .string(uri)] }

func position(_ line: Int, _ character: Int) -> JSONValue {
    ["line": .integer(Int64(line)), "character": .integer(Int64(character))]
}

/// A decoded semantic token, in absolute positions.
struct DecodedToken: Equatable, CustomStringConvertible {
    var line: Int
    var character: Int
    var length: Int
    var type: Int
    var modifiers: Int
    var description: String { "\(line):\(character)+\(length) t\(type) m\(modifiers)" }
}

func decodeTokens(_ data: JSONValue?) -> [DecodedToken] {
    let numbers = (data?.arrayValue ?? []).compactMap(\.intValue)
    var tokens: [DecodedToken] = []
    var line = 0, character = 0
    var i = 0
    while i + 5 <= numbers.count {
        let deltaLine = numbers[i], deltaStart = numbers[i + 1]
        line += deltaLine
        character = deltaLine == 0 ? character + deltaStart : deltaStart
        tokens.append(DecodedToken(line: line, character: character, length: numbers[i + 2], type: numbers[i + 3], modifiers: numbers[i + 4]))
        i += 5
    }
    return tokens
}
