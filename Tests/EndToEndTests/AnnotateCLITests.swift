import Foundation
import JSON
import Testing

/// Runs `scholia` with arguments (and optional standard input) and collects what it printed.
struct CLIRun {
    var status: Int32
    var stdout: String
    var stderr: String

    init(_ arguments: [String], stdin: [UInt8]? = nil) throws {
        let process = Process()
        process.executableURL = try scholiaExecutable()
        process.arguments = arguments
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = stdin == nil ? FileHandle.nullDevice : input
        try process.run()
        if let stdin {
            input.fileHandleForWriting.write(Data(stdin))
            try input.fileHandleForWriting.close()
        }
        // Read both pipes to the end before waiting, so a large output cannot block the child.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        status = process.terminationStatus
        stdout = String(decoding: outData, as: UTF8.self)
        stderr = String(decoding: errData, as: UTF8.self)
    }

    var stderrLines: [Substring] { stderr.split(separator: "\n") }
}

/// A scratch directory with files for one test.
struct Scratch {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("scholia-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func file(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = url.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }
    func file(_ name: String, _ text: String) throws -> String { try file(name, Array(text.utf8)) }
    func remove() { try? FileManager.default.removeItem(at: url) }
}

@Suite("scholia annotate and modules from the shell")
struct AnnotateCLITests {
    @Test func jsonForOneFileIsAnObjectWithCodePointOffsetsByDefault() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let text = "🙂 قال الوزير: «سنعود» ثم غادر."
        let path = try scratch.file("one.txt", text)
        let run = try CLIRun(["annotate", path, "--format", "json"])
        #expect(run.status == 0)
        let object = try JSONParser().parse(run.stdout)
        #expect(object["path"] == .string(path))
        #expect(object["language"] == "ar")
        #expect(object["encoding"] == "utf-32")
        let quote = try #require(object["annotations"]?.arrayValue?.first { $0["kind"] == "quote" })
        let scalars = Array(text.unicodeScalars)
        let start = Int(try #require(quote["start"]?.intValue)), end = Int(try #require(quote["end"]?.intValue))
        #expect(String(String.UnicodeScalarView(scalars[start..<end])) == "«سنعود»")
        #expect(quote["range"]?["start"]?["line"] == 0)
    }

    @Test(arguments: ["utf-8", "utf-16", "utf-32"])
    func positionEncodingOptionChangesTheUnits(encoding: String) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let text = "👍🏽 He said: “fine”."
        let path = try scratch.file("enc.txt", text)
        let run = try CLIRun(["annotate", path, "--format", "json", "--position-encoding", encoding])
        #expect(run.status == 0)
        let quote = try #require(try JSONParser().parse(run.stdout)["annotations"]?.arrayValue?.first { $0["kind"] == "quote" })
        let client = ClientText(text: text, encoding: encoding)
        #expect(quote["start"] == .integer(Int64(client.offset(of: "“"))))
        #expect(quote["range"] == client.range(of: "“fine”"))
    }

    @Test func severalFilesGiveAnArrayAndJSONLinesGiveOneObjectALine() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let a = try scratch.file("a.txt", "She said “no”.")
        let b = try scratch.file("b.txt", "قال: «لا»")
        let json = try CLIRun(["annotate", a, b, "--format", "json"])
        #expect(json.status == 0)
        #expect(try JSONParser().parse(json.stdout).arrayValue?.count == 2)
        let lines = try CLIRun(["annotate", a, b, "--format", "jsonl"])
        let objects = try lines.stdout.split(separator: "\n").map { try JSONParser().parse(String($0)) }
        #expect(objects.map { $0["path"] } == [.string(a), .string(b)])
    }

    @Test func standardInputIsRead() throws {
        let run = try CLIRun(["annotate", "-", "--format", "jsonl"], stdin: Array("He said “yes”.".utf8))
        #expect(run.status == 0)
        let object = try JSONParser().parse(run.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(object["path"] == "<stdin>")
        #expect(object["annotations"]?.arrayValue?.contains { $0["kind"] == "quote" } == true)
    }

    @Test func badFilesGetOneLineEachAndTheOthersAreStillAnnotated() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let good = try scratch.file("good.txt", "He said “yes”.")
        let invalid = try scratch.file("latin1.txt", [0x63, 0x61, 0x66, 0xE9, 0x0A])
        let missing = scratch.url.appendingPathComponent("missing.txt").path
        let run = try CLIRun(["annotate", missing, scratch.url.path, invalid, good, "--format", "jsonl"])
        #expect(run.status != 0)
        #expect(run.stderrLines.count == 3)
        #expect(run.stderrLines.contains { $0.contains("missing.txt") })
        #expect(run.stderrLines.contains { $0.contains("directory") })
        #expect(run.stderrLines.contains { $0.contains("latin1.txt") && $0.contains("UTF-8") })
        let objects = try run.stdout.split(separator: "\n").map { try JSONParser().parse(String($0)) }
        #expect(objects.map { $0["path"] } == [.string(good)])
    }

    @Test func anUnknownOptionIsOneLineAndANonZeroStatus() throws {
        let run = try CLIRun(["annotate", "--no-such-option"])
        #expect(run.status != 0)
        #expect(run.stderrLines.count == 1)
        #expect(run.stderr.contains("--no-such-option"))
        #expect(run.stdout.isEmpty)
    }

    @Test func anUnknownModuleIsOneLineAndANonZeroStatus() throws {
        let run = try CLIRun(["annotate", "-", "--modules", "nonexistent"], stdin: Array("x".utf8))
        #expect(run.status != 0)
        #expect(run.stderrLines.count == 1)
        #expect(run.stderr.contains("nonexistent"))
    }

    @Test func prettyOutputMarksTheSeedQuotation() throws {
        let run = try CLIRun(["annotate", seedURL().path, "--color", "never"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("quote"))
        #expect(run.stdout.contains("“بحاجة الرئيس بوتين"))
    }

    @Test func modulesListsQuotations() throws {
        let table = try CLIRun(["modules"])
        #expect(table.status == 0)
        #expect(table.stdout.contains("quotations"))
        let json = try JSONParser().parse(try CLIRun(["modules", "--json"]).stdout)
        #expect(json.arrayValue?.contains { $0["name"] == "quotations" && $0["kinds"]?.arrayValue?.isEmpty == false } == true)
    }
}
