// scholia-bench: the figures the README promises, as medians of repeated runs.
//
// This is the one place in the project that uses Foundation's JSONSerialization: only as the
// yardstick the jansson layer is measured against. It lives outside Sources/ on purpose, so the
// product never links a second JSON codec.
import AnnotationModel
import BuiltinModules
import Foundation
import JSON
import TextEngine
import TextModel

// MARK: Timing

/// Runs `body` `rounds` times (after one warm-up) and returns the median seconds.
func medianSeconds(rounds: Int, _ body: () throws -> Void) rethrows -> Double {
    try body()
    var times: [Double] = []
    for _ in 0..<rounds {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    times.sort()
    return times[times.count / 2]
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * p + 0.5))]
}

func mbps(_ bytes: Int, _ seconds: Double) -> String {
    String(format: "%8.1f MB/s", Double(bytes) / seconds / 1e6)
}

func ms(_ seconds: Double) -> String { String(format: "%8.3f ms", seconds * 1e3) }

func record(_ name: String, _ value: String) {
    print(String(format: "%-58@ %@", name as NSString, value))
}

// MARK: Payloads

/// Prose with Arabic, Latin, digits and emoji, so string escaping and UTF-8 validation are exercised.
let sampleProse = """
    قال وزير الخارجية إن المحادثات «قد تستمر أسابيع»، بحسب ما نقلت وكالة الأنباء الرسمية. \
    Officials said the talks could take weeks, according to people familiar with the matter 🙂. \
    وأضاف أن 42 وفداً يشاركون في الجولة الثالثة.
    """

/// A `scholia/annotate` result with `count` annotations: many small objects, integers and strings.
func annotationResult(count: Int) -> JSONValue {
    var annotations: [JSONValue] = []
    for i in 0..<count {
        annotations.append([
            "id": .string("hedge-\(i)"), "module": "hedging", "kind": "hedge",
            "start": .integer(Int64(i * 17)), "end": .integer(Int64(i * 17 + 5)), "text": "ربما",
            "range": ["start": ["line": .integer(Int64(i / 10)), "character": .integer(Int64(i % 10))],
                      "end": ["line": .integer(Int64(i / 10)), "character": .integer(Int64(i % 10 + 5))]],
            "attributes": ["category": "adverb", "score": .real(0.75)],
            "links": [["rel": "source", "target": .string("source-\(i)")]],
        ])
    }
    return ["jsonrpc": "2.0", "id": 7, "result": ["language": "ar", "annotations": .array(annotations)]]
}

/// A `textDocument/didOpen` carrying about `bytes` of prose: one long string.
func didOpen(bytes: Int) -> JSONValue {
    var text = ""
    while text.utf8.count < bytes { text += sampleProse + "\n" }
    return ["jsonrpc": "2.0", "method": "textDocument/didOpen",
            "params": ["textDocument": ["uri": "file:///news.txt", "languageId": "plaintext",
                                        "version": 1, "text": .string(text)]]]
}

// MARK: JSON: jansson layer against JSONSerialization

func benchJSON() throws {
    print("== JSON codec (jansson layer vs Foundation JSONSerialization), median of 15")
    let payloads: [(String, JSONValue)] = [
        ("annotate result, 5,000 annotations", annotationResult(count: 5_000)),
        ("didOpen, 1 MB of prose", didOpen(bytes: 1 << 20)),
    ]
    for (name, value) in payloads {
        let bytes = value.serialized()
        let data = Data(bytes)
        let parser = JSONParser()
        let serializer = JSONSerializer()
        let foundationObject = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])

        let janssonParse = try medianSeconds(rounds: 15) { _ = try parser.parse(bytes) }
        let foundationParse = try medianSeconds(rounds: 15) { _ = try JSONSerialization.jsonObject(with: data) }
        let parsed = try parser.parse(bytes)
        let janssonWrite = medianSeconds(rounds: 15) { _ = serializer.serialize(parsed) }
        let foundationWrite = try medianSeconds(rounds: 15) { _ = try JSONSerialization.data(withJSONObject: foundationObject) }

        record("parse \(name) (\(bytes.count / 1024) KiB): jansson", mbps(bytes.count, janssonParse))
        record("parse \(name): JSONSerialization", mbps(bytes.count, foundationParse))
        record("parse \(name): speed ratio jansson/Foundation", String(format: "%8.2fx", foundationParse / janssonParse))
        record("serialize \(name): jansson", mbps(bytes.count, janssonWrite))
        record("serialize \(name): JSONSerialization", mbps(bytes.count, foundationWrite))
        record("serialize \(name): speed ratio jansson/Foundation", String(format: "%8.2fx", foundationWrite / janssonWrite))
    }
}

// MARK: Position conversion

func benchPositions() {
    print("== position conversion on a 1 MB document (Arabic, Latin, emoji), median of 15")
    var text = ""
    while text.utf8.count < 1 << 20 { text += sampleProse + "\n" }
    let bytes = Array(text.utf8)
    let build = medianSeconds(rounds: 15) { _ = LineIndex(utf8: bytes) }
    record("LineIndex build, 1 MB", ms(build))
    let index = LineIndex(utf8: bytes)
    // Offsets on scalar boundaries spread over the whole text.
    var offsets: [Int] = []
    var generator = SystemRandomNumberGenerator()
    while offsets.count < 100_000 {
        let o = Int.random(in: 0..<bytes.count, using: &generator)
        if bytes[o] & 0xC0 != 0x80 { offsets.append(o) }
    }
    for encoding in [PositionEncoding.utf16, .utf32] {
        let toPosition = medianSeconds(rounds: 15) {
            var sink = 0
            for o in offsets { sink &+= index.position(ofUTF8: o, in: encoding).character }
            precondition(sink != -1)
        }
        let positions = offsets.map { index.position(ofUTF8: $0, in: encoding) }
        let back = medianSeconds(rounds: 15) {
            var sink = 0
            for p in positions { sink &+= (try? index.utf8Offset(of: p, in: encoding)) ?? 0 }
            precondition(sink != -1)
        }
        record("UTF-8 offset -> \(encoding.rawValue) line/character", String(format: "%8.0f ns/op", toPosition / Double(offsets.count) * 1e9))
        record("\(encoding.rawValue) line/character -> UTF-8 offset", String(format: "%8.0f ns/op", back / Double(offsets.count) * 1e9))
    }
}

// MARK: scholia/annotate over a pipe

/// A `scholia serve` child speaking newline-delimited JSON.
final class ServerProcess {
    let process = Process()
    let input = Pipe()
    let output = Pipe()
    var buffer: [UInt8] = []

    init(executable: URL) throws {
        process.executableURL = executable
        process.arguments = ["serve"]
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    func send(_ message: JSONValue) {
        input.fileHandleForWriting.write(Data(message.serialized() + [0x0A]))
    }

    /// Reads lines until the response with `id` arrives.
    func response(id: Int64) throws -> JSONValue {
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = Array(buffer[..<newline])
                buffer.removeSubrange(...newline)
                let message = try JSONParser().parse(line)
                if message["id"] == .integer(id) { return message }
                continue
            }
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { throw BenchError("scholia serve closed its output") }
            buffer.append(contentsOf: chunk)
        }
    }

    func stop() {
        send(["jsonrpc": "2.0", "id": 999_999, "method": "shutdown"])
        _ = try? response(id: 999_999)
        send(["jsonrpc": "2.0", "method": "exit"])
        process.waitUntilExit()
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

func benchRoundTrip() throws {
    let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("scholia")
    guard FileManager.default.isExecutableFile(atPath: executable.path) else {
        throw BenchError("\(executable.path) not found: build the scholia product first (scripts/bench does)")
    }
    print("== scholia/annotate round trip over a pipe (all modules)")
    let server = try ServerProcess(executable: executable)
    defer { server.stop() }
    server.send(["jsonrpc": "2.0", "id": 0, "method": "initialize",
                 "params": ["capabilities": ["general": ["positionEncodings": ["utf-16"]]]]])
    _ = try server.response(id: 0)
    var nextID: Int64 = 1
    for (name, size, rounds) in [("1 KB", 1 << 10, 201), ("1 MB", 1 << 20, 21)] {
        var text = ""
        while text.utf8.count < size { text += sampleProse + "\n" }
        text = String(decoding: Array(text.utf8.prefix(size)), as: UTF8.self)
        var times: [Double] = []
        var annotations = 0
        for _ in 0..<rounds {
            let id = nextID
            nextID += 1
            let start = DispatchTime.now().uptimeNanoseconds
            server.send(["jsonrpc": "2.0", "id": .integer(id), "method": "scholia/annotate", "params": ["text": .string(text)]])
            let reply = try server.response(id: id)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            annotations = reply["result"]?["annotations"]?.arrayValue?.count ?? -1
        }
        times.sort()
        record("annotate \(name) (\(annotations) annotations): median", ms(percentile(times, 0.5)))
        record("annotate \(name): 90th percentile", ms(percentile(times, 0.9)))
    }
}

// MARK: Annotator throughput on corpora (one core, in process)

func benchAnnotators(corpus paths: [String], rounds: Int = 5, pipelineOnly: Bool = false) {
    let pipeline = BuiltinModules.pipeline()
    for path in paths {
        let texts = corpusTexts(at: path)
        let bytes = texts.reduce(0) { $0 + $1.utf8.count }
        guard bytes > 0 else {
            print("(skipped \(path): no text found)")
            continue
        }
        // Lexicons load on first use: not part of any timed (or profiled) run.
        for text in texts.prefix(1) { _ = pipeline.run(text: text, language: LanguageDetector.detect(text)) }
        let seconds = medianSeconds(rounds: rounds) { annotateCorpus(texts, with: pipeline) }
        record("annotate \((path as NSString).lastPathComponent) (\(texts.count) texts, \(bytes / 1024) KiB), one core", mbps(bytes, seconds))
        if pipelineOnly { continue }
        // The text engine's share: what every lexicon module pays before matching anything.
        let utf8Texts = texts.map { Array($0.utf8) }
        let analysis = medianSeconds(rounds: rounds) {
            for text in utf8Texts { _ = AnalyzedText(utf8: text) }
        }
        record("  AnalyzedText alone", mbps(bytes, analysis))
        // What every row below pays besides its module: language detection and the pipeline itself.
        let overhead = medianSeconds(rounds: rounds) {
            for text in texts { _ = pipeline.run(text: text, language: LanguageDetector.detect(text), modules: []) }
        }
        record("  detection + pipeline, no module", mbps(bytes, overhead))
        // Each module alone (still tokenizing on its own), to see which one a slowdown comes from.
        for annotator in BuiltinModules.annotators() {
            let name = annotator.descriptor.name
            let alone = medianSeconds(rounds: rounds) {
                for text in texts {
                    _ = pipeline.run(text: text, language: LanguageDetector.detect(text), modules: [name])
                }
            }
            record("  module \(name) alone", mbps(bytes, alone))
        }
    }
}

/// One pass of the whole pipeline over a corpus. A function of its own so that a profiler can count
/// only it: `valgrind --tool=callgrind --toggle-collect='*annotateCorpus*' scholia-bench --pipeline-only ...`
@inline(never)
func annotateCorpus(_ texts: [String], with pipeline: AnnotationPipeline) {
    for text in texts {
        _ = pipeline.run(text: text, language: LanguageDetector.detect(text))
    }
}

/// The texts of a corpus: a directory's `.txt` files (PolNeAR), the `text` member of each line of a
/// `.jsonl` file (`content`, as SaudiNewsNet names it, or `text`), or a plain text file.
func corpusTexts(at path: String) -> [String] {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return [] }
    if isDirectory.boolValue {
        let directory = FileManager.default.fileExists(atPath: path + "/text") ? path + "/text" : path
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return files.sorted().filter { $0.hasSuffix(".txt") }.compactMap {
            try? String(contentsOfFile: directory + "/" + $0, encoding: .utf8)
        }
    }
    guard let data = FileManager.default.contents(atPath: path) else { return [] }
    if path.hasSuffix(".jsonl") {
        return data.split(separator: 0x0A).compactMap { line in
            let object = try? JSONParser().parse(Array(line))
            return object?["content"]?.stringValue ?? object?["text"]?.stringValue
        }
    }
    return String(data: data, encoding: .utf8).map { [$0] } ?? []
}

// MARK: Main

let arguments = Array(CommandLine.arguments.dropFirst())
// `--annotators-only`: only the corpus figures; `--pipeline-only`: only the all-modules row of each
// corpus (what a profiler should look at); `--rounds N`: timed runs per figure (default 5).
var corpora: [String] = []
var rounds = 5
var argumentIndex = 0
while argumentIndex < arguments.count {
    if arguments[argumentIndex] == "--rounds", argumentIndex + 1 < arguments.count {
        rounds = max(1, Int(arguments[argumentIndex + 1]) ?? 5)
        argumentIndex += 2
        continue
    }
    if !arguments[argumentIndex].hasPrefix("-") { corpora.append(arguments[argumentIndex]) }
    argumentIndex += 1
}
let pipelineOnly = arguments.contains("--pipeline-only")
let annotatorsOnly = pipelineOnly || arguments.contains("--annotators-only")
do {
    if !annotatorsOnly {
        try benchJSON()
        benchPositions()
        try benchRoundTrip()
    }
    if !corpora.isEmpty {
        print("== annotator throughput")
        benchAnnotators(corpus: corpora, rounds: rounds, pipelineOnly: pipelineOnly)
    }
} catch {
    FileHandle.standardError.write(Data("scholia-bench: \(error)\n".utf8))
    exit(1)
}
