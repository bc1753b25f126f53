import AnnotationModel
import JSON

/// Renders an `EvaluationReport` for people (a text table) or for programs (JSON through the
/// project's jansson-backed `JSONValue`).
public enum ReportRenderer {
    /// Figures in JSON are rounded to 4 decimals: more digits are noise at corpus sizes, and
    /// rounded figures diff cleanly between runs.
    static func rounded(_ value: Double) -> JSONValue { .real((value * 10_000).rounded() / 10_000) }

    public static func json(_ counts: Counts) -> JSONValue {
        [
            "gold": .integer(Int64(counts.gold)), "predicted": .integer(Int64(counts.predicted)),
            "truePositives": .integer(Int64(counts.truePositives)),
            "falsePositives": .integer(Int64(counts.falsePositives)),
            "falseNegatives": .integer(Int64(counts.falseNegatives)),
            "precision": rounded(counts.precision), "recall": rounded(counts.recall), "f1": rounded(counts.f1),
        ]
    }

    public static func json(_ entry: ErrorEntry) -> JSONValue {
        [
            "kind": .string(entry.kind.rawValue), "text": .string(entry.text), "count": .integer(Int64(entry.count)),
            "examples": .array(entry.examples.map { ["document": .string($0.document), "context": .string($0.context)] }),
        ]
    }

    /// `extra` members (runtime, corpus paths) are added at the top level by the caller.
    public static func json(_ report: EvaluationReport, extra: [(String, JSONValue)] = []) -> JSONValue {
        var root = JSONObject()
        root["documents"] = .integer(Int64(report.documents))
        root["kinds"] = .array(report.kinds.map { .string($0.rawValue) })
        root["goldCounts"] = countsByKind(report.goldCounts, kinds: report.kinds)
        root["predictedCounts"] = countsByKind(report.predictedCounts, kinds: report.kinds)
        root["emptyConvention"] = "precision is 1 with no predictions, recall is 1 with no gold; F1 is 0 when both are 0"
        var modes = JSONObject()
        for mode in report.modes {
            var perKind = JSONObject()
            for kind in report.kinds { perKind[kind.rawValue] = json(mode.perKind[kind] ?? Counts()) }
            modes[mode.mode.rawValue] = .object(JSONObject([
                ("perKind", .object(perKind)),
                ("micro", json(mode.micro)),
                ("macroF1", mode.macroF1.map(rounded) ?? .null),
                ("topMisses", .array(mode.topMisses.map(json))),
                ("topFalseHits", .array(mode.topFalseHits.map(json))),
            ]))
        }
        root["modes"] = .object(modes)
        if let links = report.speakerLinks {
            root["speakerLinks"] = [
                "gold": .integer(Int64(links.gold)), "right": .integer(Int64(links.right)),
                "wrong": .integer(Int64(links.wrong)), "missing": .integer(Int64(links.missing)),
                "extra": .integer(Int64(links.extra)),
                "accuracy": rounded(links.accuracy), "precision": rounded(links.precision),
            ]
        }
        for (key, value) in extra { root[key] = value }
        return .object(root)
    }

    static func countsByKind(_ counts: [AnnotationKind: Int], kinds: [AnnotationKind]) -> JSONValue {
        var object = JSONObject()
        for kind in kinds { object[kind.rawValue] = .integer(Int64(counts[kind] ?? 0)) }
        return .object(object)
    }

    // MARK: Text

    public static func text(_ report: EvaluationReport) -> String {
        var out = "\(report.documents) document\(report.documents == 1 ? "" : "s"); "
        out += "gold " + report.kinds.map { "\($0) \(report.goldCounts[$0] ?? 0)" }.joined(separator: ", ")
        out += "; predicted " + report.kinds.map { "\($0) \(report.predictedCounts[$0] ?? 0)" }.joined(separator: ", ") + "\n"
        for mode in report.modes {
            out += "\n== \(mode.mode.rawValue) match\n"
            let header = ["kind", "gold", "pred", "tp", "fp", "fn", "P", "R", "F1"]
            var rows: [[String]] = [header]
            for kind in report.kinds { rows.append(row(kind.rawValue, mode.perKind[kind] ?? Counts())) }
            rows.append(row("micro", mode.micro))
            out += table(rows)
            out += "macro-F1 (kinds with gold): \(mode.macroF1.map { percent($0) } ?? "n/a")\n"
            out += errorList("most frequent misses (gold not found)", mode.topMisses)
            out += errorList("most frequent false hits (predicted, not in gold)", mode.topFalseHits)
        }
        if let links = report.speakerLinks {
            out += "\n== quote → speaker links (quotes paired by overlap)\n"
            out += "  gold \(links.gold): right \(links.right), wrong \(links.wrong), missing \(links.missing); "
            out += "extra \(links.extra) (a speaker where the gold names none)\n"
            out += "  accuracy \(percent(links.accuracy)), precision \(percent(links.precision))\n"
        }
        out += "\n(P is 1 when nothing was predicted, R is 1 when there was no gold; F1 is 0 when both are 0.)\n"
        return out
    }

    static func row(_ name: String, _ counts: Counts) -> [String] {
        [name, String(counts.gold), String(counts.predicted), String(counts.truePositives), String(counts.falsePositives),
         String(counts.falseNegatives), percent(counts.precision), percent(counts.recall), percent(counts.f1)]
    }

    static func percent(_ value: Double) -> String {
        let tenths = Int((value * 1000).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// Left-aligned first column, right-aligned numbers.
    static func table(_ rows: [[String]]) -> String {
        var widths = [Int](repeating: 0, count: rows[0].count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        var out = ""
        for row in rows {
            var line = ""
            for (i, cell) in row.enumerated() {
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                line += i == 0 ? cell + pad : "  " + pad + cell
            }
            out += "  " + line + "\n"
        }
        return out
    }

    static func errorList(_ title: String, _ entries: [ErrorEntry]) -> String {
        guard !entries.isEmpty else { return "\(title): none\n" }
        var out = "\(title):\n"
        for entry in entries {
            out += "  \(String(entry.count).leftPadded(to: 5))  \(entry.kind)  “\(clip(entry.text, 60))”\n"
            for example in entry.examples {
                out += "         \(example.context)  [\(example.document)]\n"
            }
        }
        return out
    }

    static func clip(_ text: String, _ limit: Int) -> String {
        text.count > limit ? String(text.prefix(limit - 1)) + "…" : text
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
