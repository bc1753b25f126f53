import AnnotationModel
import ArgumentParser
import BuiltinModules
import Foundation
import JSON
import ModuleHost
import Server
import TextEngine
import TextModel

struct AnnotateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "annotate",
        abstract: "Annotate files (or standard input) and print the annotations.",
        discussion: """
            Offsets ('start', 'end', 'range') count in --position-encoding units: utf-32 (code points, \
            as Python counts) by default. A file that cannot be read is reported on one line and the \
            other files are still annotated; the exit status is then 1.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case pretty, json, jsonl
    }

    enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
        case auto, always, never
    }

    @Argument(help: "Files to annotate; '-' (or nothing) reads standard input.")
    var files: [String] = []

    @Option(help: "Output: pretty (for a person), json (one object, or an array for several files), jsonl (one object a line).")
    var format: Format = .pretty

    @Option(name: .customLong("position-encoding"), help: "Units of offsets: utf-8, utf-16 or utf-32.")
    var positionEncoding: PositionEncoding = .utf32

    @Option(help: "Language of the documents: auto (detected per file), en or ar.")
    var language: LanguageOption = .auto

    @Option(help: "Only these modules, comma-separated (see 'scholia modules').")
    var modules: ModuleList?

    @Flag(help: "Also give the document profile: named and unnamed sources, cues, hedges per 1,000 words, quotes with and without a speaker, the distinct sources.")
    var profile = false

    @Option(help: "Colour in pretty output: auto (when standard output is a terminal), always, never.")
    var color: ColorChoice = .auto

    @OptionGroup var moduleOptions: ModuleOptions

    func run() throws {
        let events = ModuleEvents()
        events.setHandlers(log: { reportError($0) }, alert: { _, message in reportError(message) })
        let registry = moduleOptions.registry(events: events)
        defer { registry.shutdownModules() }
        if let modules {
            let unknown = registry.unknownNames(in: modules.names)
            if !unknown.isEmpty {
                throw ValidationError(
                    "unknown module \(unknown.joined(separator: ", ")) (loaded: \(registry.names.joined(separator: ", ")))")
            }
        }
        let pipeline = registry.pipeline(enabled: modules.map { Set($0.names) })
        let paths = files.isEmpty ? ["-"] : files
        var results: [JSONValue] = []
        var failed = false
        let useColor = color == .always || (color == .auto && isatty(STDOUT_FILENO) != 0)
        for path in paths {
            let document: InputDocument
            do {
                document = try InputFiles.read(path)
            } catch {
                reportError("\(error)")
                failed = true
                continue
            }
            let lineIndex = LineIndex(document.text)
            let language = language.language ?? LanguageDetector.detect(lineIndex.utf8)
            let result = pipeline.run(text: document.text, language: language)
            for failure in result.failures {
                reportError("\(document.path): module \(failure.module) failed: \(failure.message)")
            }
            switch format {
            case .pretty:
                let printer = PrettyPrinter(lineIndex: lineIndex, encoding: positionEncoding, useColor: useColor)
                print(printer.render(path: document.path, language: language, annotations: result.annotations), terminator: "")
                if profile {
                    print(ProfileText.render(DocumentProfile(utf8: lineIndex.utf8, annotations: result.annotations)))
                }
            case .json, .jsonl:
                let encoder = AnnotationJSONWriter(lineIndex: lineIndex, encoding: positionEncoding)
                var object: JSONObject = [
                    "path": .string(document.path), "language": .string(language.rawValue),
                    "encoding": .string(positionEncoding.rawValue), "annotations": encoder.json(result.annotations),
                ]
                if profile {
                    object["profile"] = ProfileJSON.json(DocumentProfile(utf8: lineIndex.utf8, annotations: result.annotations))
                }
                if format == .jsonl {
                    print(JSONValue.object(object).serializedString())
                } else {
                    results.append(.object(object))
                }
            }
        }
        if format == .json && !results.isEmpty {
            print((paths.count == 1 ? results[0] : .array(results)).serializedString(indent: 2))
        }
        if failed { throw ExitCode(1) }
    }
}
