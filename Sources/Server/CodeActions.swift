import AnnotationModel
import JSON
import JSONRPC
import Markup
import TextModel

extension ScholiaServer {
    static let disableNextLine = "scholia-disable-next-line"

    /// `textDocument/codeAction`: in Markdown and HTML, quick fixes that insert
    /// `<!-- scholia-disable-next-line -->` (for every module, or for the diagnostic's module) on
    /// a line of its own above the diagnostic's line. Plain text has no comments, so no actions.
    ///
    /// The diagnostics come from `context.diagnostics`; a client that sends none gets actions for
    /// the annotations in the range.
    func codeActions(id: RequestID, method: String, params: Params, complete: @escaping Completion) throws(RPCError) {
        let uri = try Self.documentURI(params)
        let range = try Self.textRange(params.object("range"))
        let sent = try params.optionalObject("context")?.array("diagnostics") ?? []
        withAnalysis(id: id, method: method, uri: uri, complete: complete) { [self] analysis, context throws(RPCError) in
            guard analysis.format != .plaintext else { return [] }
            let wanted = try Self.utf8Range(of: range, in: analysis, context: context, method: method)
            let index = analysis.snapshot.lineIndex
            var targets: [(line: Int, module: String, diagnostic: JSONValue)] = []
            let ours = sent.filter { $0["source"] == "scholia" }
            if ours.isEmpty {
                let touching = analysis.annotations.filter {
                    $0.range.overlaps(wanted) || wanted.contains($0.start) || ($0.range.contains(wanted.lowerBound))
                }
                for diagnostic in diagnostics(for: DocumentAnalysis(
                    snapshot: analysis.snapshot, generation: analysis.generation, serial: analysis.serial,
                    language: analysis.language, annotations: touching, format: analysis.format), context: context)
                {
                    guard let line = diagnostic["range"]?["start"]?["line"]?.intValue else { continue }
                    targets.append((line, diagnostic["data"]?["module"]?.stringValue ?? "", diagnostic))
                }
            } else {
                for diagnostic in ours {
                    guard let line = diagnostic["range"]?["start"]?["line"]?.intValue, line >= 0, line < index.lineCount else {
                        throw .invalidParams("\(method): context.diagnostics: a diagnostic without a valid range.start.line")
                    }
                    targets.append((line, diagnostic["data"]?["module"]?.stringValue ?? "", diagnostic))
                }
            }
            var actions: [JSONValue] = []
            var seen = Set<String>()
            for target in targets {
                let variants: [(title: String, comment: String)] = [
                    ("Ignore this line with \(Self.disableNextLine)", "<!-- \(Self.disableNextLine) -->"),
                ] + (target.module.isEmpty ? [] : [
                    ("Ignore module \(target.module) on this line", "<!-- \(Self.disableNextLine) \(target.module) -->"),
                ])
                for variant in variants where seen.insert("\(target.line)\u{1F}\(variant.comment)").inserted {
                    let edit = insertion(variant.comment, aboveLine: target.line, in: index, encoding: context.encoding)
                    actions.append([
                        "title": .string(variant.title), "kind": "quickfix",
                        "diagnostics": [target.diagnostic],
                        "edit": ["changes": .object(JSONObject([(uri, [edit])]))],
                    ])
                }
            }
            return .array(actions)
        }
    }

    /// A `TextEdit` putting `comment` on a new line above `line`, indented as that line is and
    /// ending with the line break the document uses there.
    func insertion(_ comment: String, aboveLine line: Int, in index: LineIndex, encoding: PositionEncoding) -> JSONValue {
        let content = index.contentRange(ofLine: line)
        let indent = index.utf8[content].prefix { $0 == 0x20 || $0 == 0x09 }
        // The break this line ends with, or (the last line has none) the one before it.
        func lineBreak(of line: Int) -> String? {
            guard line >= 0, line + 1 < index.lineCount else { return nil }
            let bytes = index.utf8[index.contentRange(ofLine: line).upperBound..<index.lineStarts[line + 1]]
            return String(decoding: Array(bytes), as: UTF8.self)
        }
        let lineBreak = lineBreak(of: line) ?? lineBreak(of: line - 1) ?? "\n"
        let start = AnnotationJSONWriter.json(TextPosition(line: line, character: 0))
        return [
            "range": ["start": start, "end": start],
            "newText": .string(String(decoding: Array(indent), as: UTF8.self) + comment + lineBreak),
        ]
    }
}
