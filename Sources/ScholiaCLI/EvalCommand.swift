import AnnotationModel
import ArgumentParser
import BuiltinModules
import Evaluation
import Foundation
import JSON
import ModuleHost
import TextEngine
import TextModel

/// `scholia eval`: scores the annotators against gold annotations.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Score the annotators against gold annotations (precision, recall, F1 per kind).",
        discussion: """
            GOLD is a brat .ann file (its .txt beside it or in ../text), a directory (every .ann under it; \
            one annotator's file per text), a Szeged uncertainty corpus .xml, or a Scholia gold .json \
            ({"text" or "textFile", "language", "positionEncoding", "annotations": [{"kind","start","end","text"}]}, \
            offsets in code points by default). Each text is annotated by the built-in pipeline, or the \
            annotations are read from --predictions (the output of 'scholia annotate --format jsonl', \
            matched to gold texts by path, file name or document id). Kinds scored: --kinds, or those in the gold.
            """
    )

    enum MatchChoice: String, ExpressibleByArgument, CaseIterable {
        case overlap, exact, both
        var modes: [MatchMode] {
            switch self {
            case .overlap: return [.overlap]
            case .exact: return [.exact]
            case .both: return [.exact, .overlap]
            }
        }
    }

    enum ReportChoice: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Argument(help: "Gold files or directories.")
    var gold: [String]

    @Option(help: "Gold format: brat, szeged, json or auto (by extension: .ann, .xml, otherwise json).")
    var format: GoldFormat = .auto

    @Option(help: "Kinds to score, comma-separated (default: the kinds in the gold).")
    var kinds: ModuleList?

    @Option(help: "How a prediction must meet a gold span: overlap, exact or both.")
    var match: MatchChoice = .both

    @Option(help: "Report: text (a table) or json.")
    var report: ReportChoice = .text

    @Option(help: "How many of the most frequent misses and false hits to list.")
    var top: Int = 10

    @Option(help: "Score these annotations (from 'scholia annotate --format jsonl') instead of running the pipeline.")
    var predictions: String?

    @Option(name: .customLong("position-encoding"), help: "Units of the offsets in --predictions records that do not name their own 'encoding': utf-8, utf-16 or utf-32.")
    var positionEncoding: PositionEncoding = .utf32

    @Option(help: "Szeged XML: score per document or per sentence (the text the pipeline sees).")
    var unit: SzegedReader.Unit = .document

    @Option(help: "Language of the gold texts when the gold does not say: auto (detected), en or ar.")
    var language: LanguageOption = .auto

    func validate() throws {
        if top < 0 { throw ValidationError("--top must be 0 or more") }
    }

    func run() throws {
        let started = ContinuousClock.now
        var loader = GoldLoader(format: format, szegedUnit: unit)
        var documents: [GoldDocument] = []
        do {
            for path in gold { documents += try loader.load(path) }
        } catch {
            reportError("\(error)")
            throw ExitCode(1)
        }
        if !loader.skipped.isEmpty {
            reportError("note: \(loader.skipped.count) .ann file(s) skipped: another annotator's file of the same text was used (\(loader.skipped.prefix(3).joined(separator: ", "))\(loader.skipped.count > 3 ? ", …" : ""))")
        }
        let loaded = ContinuousClock.now

        var evaluator = Evaluator(kinds: kinds.map { Set($0.names.map { AnnotationKind($0) }) }, modes: match.modes, top: top)
        if let predictions {
            try scorePredictions(predictions, documents: documents, into: &evaluator)
        } else {
            let registry = ModuleRegistry(builtins: BuiltinModules.annotators())
            let pipeline = registry.pipeline()
            for document in documents {
                let language = document.language ?? language.language ?? LanguageDetector.detect(document.text)
                let result = pipeline.run(text: document.text, language: language)
                for failure in result.failures {
                    reportError("\(document.id): module \(failure.module) failed: \(failure.message)")
                }
                evaluator.add(document, predictions: LabeledSpan.spans(of: result.annotations))
            }
        }
        let finished = ContinuousClock.now
        let result = evaluator.report()
        let loadSeconds = Self.seconds(loaded - started)
        let totalSeconds = Self.seconds(finished - started)
        switch report {
        case .text:
            print(ReportRenderer.text(result), terminator: "")
            print(String(format: "runtime: %.2f s (reading gold %.2f s, annotating and scoring %.2f s)", totalSeconds, loadSeconds, totalSeconds - loadSeconds))
        case .json:
            let extra: [(String, JSONValue)] = [
                ("gold", .array(gold.map { .string($0) })),
                ("predictions", predictions.map { .string($0) } ?? .null),
                ("runtimeSeconds", .real((totalSeconds * 1000).rounded() / 1000)),
                ("skippedGoldFiles", .array(loader.skipped.map { .string($0) })),
            ]
            print(ReportRenderer.json(result, extra: extra).serializedString(indent: 2))
        }
    }

    /// Pairs each gold document with its prediction record: by the text's path, then by file name
    /// without extension (predictions made elsewhere), then by document id (Szeged, inline JSON).
    /// A gold document with no record is scored as annotated with nothing (all misses) and named on
    /// standard error, so a partial predictions file cannot pass for a good score unnoticed.
    func scorePredictions(_ path: String, documents: [GoldDocument], into evaluator: inout Evaluator) throws {
        let records: [PredictionRecord]
        do {
            records = try PredictionRecord.read(bytes: try GoldLoader.bytes(path), path: path)
        } catch {
            reportError("\(error)")
            throw ExitCode(1)
        }
        var byPath: [String: Int] = [:]
        var byStem: [String: Int] = [:]
        for (index, record) in records.enumerated() {
            if byPath[record.path] == nil { byPath[record.path] = index }
            let stem = Self.stem(record.path)
            if byStem[stem] == nil { byStem[stem] = index }
        }
        var unmatched: [String] = []
        for document in documents {
            let index = document.textPath.flatMap { byPath[$0] ?? byStem[Self.stem($0)] } ?? byPath[document.id]
            guard let index else {
                unmatched.append(document.id)
                evaluator.add(document, predictions: [])
                continue
            }
            do {
                evaluator.add(document, predictions: try records[index].spans(over: document.text, encoding: positionEncoding))
            } catch {
                reportError("\(error)")
                throw ExitCode(1)
            }
        }
        if !unmatched.isEmpty {
            reportError("note: \(unmatched.count) gold document(s) have no predictions and count as annotated with nothing (\(unmatched.prefix(3).joined(separator: ", "))\(unmatched.count > 3 ? ", …" : ""))")
        }
    }

    static func stem(_ path: String) -> String {
        ((path as NSString).lastPathComponent as NSString).deletingPathExtension
    }

    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

extension GoldFormat: ExpressibleByArgument {}
extension SzegedReader.Unit: ExpressibleByArgument {}
