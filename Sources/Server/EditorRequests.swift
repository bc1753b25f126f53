import AnnotationModel
import JSON
import JSONRPC
import TextModel

extension ScholiaServer {
    /// The LSP requests an editor shows: diagnostics (pull), semantic tokens, hover, outline, inlay
    /// hints, code lens, highlights, code actions. False when `method` is none of them.
    func handleEditorRequest(id: RequestID, method: String, params rawParams: JSONValue?, complete: @escaping Completion)
        -> Bool
    {
        let handlers: [String: (RequestID, String, Params, @escaping Completion) throws(RPCError) -> Void] = [
            "textDocument/diagnostic": pullDiagnostics,
            "textDocument/semanticTokens/full": semanticTokensFull,
            "textDocument/semanticTokens/full/delta": semanticTokensDelta,
            "textDocument/semanticTokens/range": semanticTokensRange,
            "textDocument/hover": hover,
            "textDocument/documentSymbol": documentSymbols,
            "textDocument/inlayHint": inlayHints,
            "textDocument/codeLens": codeLens,
            "textDocument/documentHighlight": documentHighlight,
            "textDocument/codeAction": codeActions,
        ]
        guard let handler = handlers[method] else { return false }
        do {
            try handler(id, method, try Params(method: method, rawParams), complete)
        } catch {
            complete(.failure(error))
        }
        return true
    }

    // MARK: Diagnostics (pull)

    /// `textDocument/diagnostic` (LSP 3.17): a full report with a `resultId`, or an unchanged
    /// report when the client already has the current one.
    func pullDiagnostics(id: RequestID, method: String, params: Params, complete: @escaping Completion) throws(RPCError) {
        let uri = try Self.documentURI(params)
        let previous = try params.optionalString("previousResultId")
        if let previous, let input = analysisInput(uri: uri),
           previous == "\(input.serial).\(input.snapshot.version).\(input.generation)"
        {
            complete(.success(["kind": "unchanged", "resultId": .string(previous)]))
            return
        }
        withAnalysis(id: id, method: method, uri: uri, complete: complete) { [self] analysis, context in
            [
                "kind": "full", "resultId": .string(analysis.resultID),
                "items": .array(diagnostics(for: analysis, context: context)),
            ]
        }
    }

    // MARK: Hover

    /// `textDocument/hover`: what the spans under the cursor are and why, innermost first.
    func hover(id: RequestID, method: String, params: Params, complete: @escaping Completion) throws(RPCError) {
        let uri = try Self.documentURI(params)
        let position = try Self.position(params.object("position"))
        withAnalysis(id: id, method: method, uri: uri, complete: complete) { analysis, context throws(RPCError) in
            let offset = try Self.offset(of: position, in: analysis, context: context, method: method)
            let here = analysis.annotations(at: offset)
            guard let innermost = here.first else { return .null }
            let markdown = context.client.markdownHover
            let text = here.prefix(3).map { HoverText.describe($0, graph: analysis.graph, markdown: markdown) }
                .joined(separator: markdown ? "\n\n---\n\n" : "\n\n")
            let encoder = AnnotationJSONWriter(lineIndex: analysis.snapshot.lineIndex, encoding: context.encoding)
            return [
                "contents": ["kind": .string(markdown ? "markdown" : "plaintext"), "value": .string(text)],
                "range": encoder.range(innermost.range),
            ]
        }
    }

    // MARK: Outline

    /// `textDocument/documentSymbol`: sources grouped by wording with their counts, quotes with
    /// their speakers, hedges.
    func documentSymbols(id: RequestID, method: String, params: Params, complete: @escaping Completion) throws(RPCError) {
        let uri = try Self.documentURI(params)
        withAnalysis(id: id, method: method, uri: uri, complete: complete) { analysis, context in
            let encoder = AnnotationJSONWriter(lineIndex: analysis.snapshot.lineIndex, encoding: context.encoding)
            return .array(Outline(analysis: analysis, encoder: encoder).symbols)
        }
    }

    // MARK: Inlay hints

    /// `textDocument/inlayHint`: `— Speaker` after each quote whose speaker is known, `named` or
    /// `unnamed` after each source.
    func inlayHints(id: RequestID, method: String, params: Params, complete: @escaping Completion) throws(RPCError) {
        let uri = try Self.documentURI(params)
        let range = try Self.textRange(params.object("range"))
        withAnalysis(id: id, method: method, uri: uri, complete: complete) { analysis, context throws(RPCError) in
            let wanted = try Self.utf8Range(of: range, in: analysis, context: context, method: method)
            let index = analysis.snapshot.lineIndex
            var hints: [JSONValue] = []
            for annotation in analysis.annotations where wanted.contains(annotation.end) || wanted.upperBound == annotation.end {
                let label: String
                let tooltip: String
                switch annotation.kind {
                case .quote:
                    guard let speaker = analysis.graph.target(of: annotation, AnnotationLink.speaker) else { continue }
                    label = "— \(DiagnosticBuilder.shortened(speaker.text, limit: 40))"
                    tooltip = "Speaker of this quote (\(DiagnosticBuilder.sourceLabel(speaker).lowercased()))"
                case .source:
                    guard let named = annotation.attributes["named"]?.boolValue else { continue }
                    label = named ? "named" : "unnamed"
                    tooltip = DiagnosticBuilder.sourceLabel(annotation)
                default:
                    continue
                }
                hints.append([
                    "position": AnnotationJSONWriter.json(index.position(ofUTF8: annotation.end, in: context.encoding)),
                    "label": .string(label), "paddingLeft": true, "tooltip": .string(tooltip),
                ])
            }
            return .array(hints)
        }
    }

    // MARK: Code lens

    /// `textDocument/codeLens`: the document profile on the first line
    /// (`3 named · 6 unnamed sources · 14 hedges · 1 quote`). The command is empty: the lens
    /// informs and does nothing when clicked.
    func codeLens(id: RequestID, method: String, params: Params, complete: @escaping Completion) throws(RPCError) {
        let uri = try Self.documentURI(params)
        withAnalysis(id: id, method: method, uri: uri, complete: complete) { analysis, _ in
            let profile = DocumentProfile(utf8: analysis.snapshot.utf8, annotations: analysis.annotations)
            let start = AnnotationJSONWriter.json(TextPosition(line: 0, character: 0))
            return [[
                "range": ["start": start, "end": start],
                "command": ["title": .string(profile.summary), "command": ""],
            ]]
        }
    }

    // MARK: Highlights

    /// `textDocument/documentHighlight`: the cursor on a quote lights its speaker and cue; on a
    /// source, its cue and the quotes it spoke; everything linked, either way.
    func documentHighlight(id: RequestID, method: String, params: Params, complete: @escaping Completion) throws(RPCError) {
        let uri = try Self.documentURI(params)
        let position = try Self.position(params.object("position"))
        withAnalysis(id: id, method: method, uri: uri, complete: complete) { analysis, context throws(RPCError) in
            let offset = try Self.offset(of: position, in: analysis, context: context, method: method)
            guard let innermost = analysis.annotations(at: offset).first else { return [] }
            let encoder = AnnotationJSONWriter(lineIndex: analysis.snapshot.lineIndex, encoding: context.encoding)
            let linked = analysis.graph.component(of: innermost).sorted { $0.start < $1.start }
            // Text (1) for the span under the cursor, Read (2) for those linked to it, so a client
            // that tells kinds apart shows which is which.
            return .array(linked.map { annotation in
                ["range": encoder.range(annotation.range), "kind": annotation.id == innermost.id ? 1 : 2]
            })
        }
    }
}

/// Hover text for one annotation: what it is, the words, and what it is linked to.
enum HoverText {
    static func describe(_ annotation: Annotation, graph: AnnotationGraph, markdown: Bool) -> String {
        func bold(_ s: String) -> String { markdown ? "**\(s)**" : s }
        func italic(_ s: String) -> String { markdown ? "_\(s)_" : s }
        let quoted = DiagnosticBuilder.quoted(annotation.text)
        var lines: [String] = []
        switch annotation.kind {
        case .hedge:
            let category = annotation.attributes["category"]?.stringValue
            lines.append("\(bold("Hedge"))\(category.map { " (\($0))" } ?? "") \(quoted)")
            lines.append("A cue of uncertainty on the claim.")
        case .source:
            lines.append("\(bold(DiagnosticBuilder.sourceLabel(annotation))) \(quoted)")
            if let type = annotation.attributes["type"]?.stringValue { lines.append("Type: \(type)") }
            if let cue = graph.cue(ofSource: annotation) { lines.append("Cue: \(DiagnosticBuilder.quoted(cue.text))") }
            let quotes = (graph.incoming[annotation.id] ?? []).filter { $0.rel == AnnotationLink.speaker }.map(\.from)
            for quote in quotes.prefix(3) { lines.append("Quote: \(DiagnosticBuilder.shortened(quote.text, limit: 60))") }
        case .cue:
            lines.append("\(bold("Attribution cue")) \(quoted)")
            if let source = graph.target(of: annotation, AnnotationLink.source) {
                lines.append("Source: \(bold(source.text)) (\(DiagnosticBuilder.sourceLabel(source).lowercased()))")
            } else {
                lines.append("No source named (the subject may be dropped or a pronoun).")
            }
            if let content = graph.target(of: annotation, AnnotationLink.content) {
                lines.append("Content: \(DiagnosticBuilder.display(content, limit: 60))")
            }
        case .quote:
            var label = annotation.attributes["partial"]?.boolValue == true ? "Partial quote" : "Quote"
            var notes: [String] = []
            if annotation.attributes["nested"]?.boolValue == true { notes.append("nested") }
            if annotation.attributes["closed"]?.boolValue == false { notes.append("not closed") }
            if let paragraphs = annotation.attributes["paragraphs"]?.integerValue, paragraphs > 1 {
                notes.append("\(paragraphs) paragraphs")
            }
            if !notes.isEmpty { label += " (\(notes.joined(separator: ", ")))" }
            lines.append("\(bold(label)) \(DiagnosticBuilder.shortened(annotation.text, limit: 60))")
            if let speaker = graph.target(of: annotation, AnnotationLink.speaker) {
                lines.append("Speaker: \(bold(speaker.text)) (\(DiagnosticBuilder.sourceLabel(speaker).lowercased()))")
            } else {
                lines.append("No speaker named in the text.")
            }
            if let cue = graph.cue(ofQuote: annotation) { lines.append("Cue: \(DiagnosticBuilder.quoted(cue.text))") }
        default:
            lines.append("\(bold(annotation.kind.rawValue.capitalized)) \(quoted)")
        }
        lines.append(italic("module \(annotation.module) · \(annotation.id)"))
        // Two trailing spaces make Markdown keep each line a line.
        return lines.joined(separator: markdown ? "  \n" : "\n")
    }
}

/// The document outline: one group per kind that people scan for.
struct Outline {
    let analysis: DocumentAnalysis
    let encoder: AnnotationJSONWriter

    enum SymbolKind: Int64 {
        case namespace = 3, variable = 13, constant = 14, string = 15, key = 20, event = 24
    }

    var symbols: [JSONValue] {
        var groups: [JSONValue] = []
        let sources = analysis.annotations.filter { $0.kind == .source }
        if !sources.isEmpty {
            // Same wording (case and spacing aside) is one source, mentioned several times.
            var order: [String] = []
            var mentions: [String: [Annotation]] = [:]
            for source in sources {
                let key = source.text.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
                if mentions[key] == nil { order.append(key) }
                mentions[key, default: []].append(source)
            }
            let named = sources.filter { $0.attributes["named"]?.boolValue == true }.count
            let unnamed = sources.filter { $0.attributes["named"]?.boolValue == false }.count
            let children = order.map { key -> JSONValue in
                let all = mentions[key]!
                let first = all[0]
                let isNamed = first.attributes["named"]?.boolValue
                var detail = isNamed == true ? "named" : isNamed == false ? "unnamed" : "source"
                detail += " · \(all.count) mention\(all.count == 1 ? "" : "s")"
                return symbol(
                    name: DiagnosticBuilder.shortened(first.text, limit: 60), detail: detail,
                    kind: isNamed == true ? .constant : .variable,
                    range: first.start..<all.last!.end, selection: first.range,
                    children: all.count > 1 ? all.map { mention in
                        symbol(name: mention.text, detail: mention.id, kind: .variable, range: mention.range, selection: mention.range)
                    } : [])
            }
            groups.append(group(
                "Sources", detail: "\(sources.count): \(named) named, \(unnamed) unnamed", members: sources, children: children))
        }
        let quotes = analysis.annotations.filter { $0.kind == .quote }
        if !quotes.isEmpty {
            let children = quotes.map { quote -> JSONValue in
                let speaker = analysis.graph.target(of: quote, AnnotationLink.speaker)
                return symbol(
                    name: DiagnosticBuilder.shortened(quote.text, limit: 50),
                    detail: speaker.map { "— \($0.text)" } ?? "no speaker", kind: .string,
                    range: quote.range, selection: quote.range)
            }
            let attributed = quotes.filter { $0.link(AnnotationLink.speaker) != nil }.count
            groups.append(group("Quotes", detail: "\(quotes.count): \(attributed) with a speaker", members: quotes, children: children))
        }
        let hedges = analysis.annotations.filter { $0.kind == .hedge }
        if !hedges.isEmpty {
            let children = hedges.map { hedge -> JSONValue in
                symbol(name: hedge.text, detail: hedge.attributes["category"]?.stringValue ?? "hedge", kind: .event,
                       range: hedge.range, selection: hedge.range)
            }
            groups.append(group("Hedges", detail: "\(hedges.count)", members: hedges, children: children))
        }
        return groups
    }

    func group(_ name: String, detail: String, members: [Annotation], children: [JSONValue]) -> JSONValue {
        let start = members.map(\.start).min()!
        let end = members.map(\.end).max()!
        return symbol(name: name, detail: detail, kind: .namespace, range: start..<end, selection: members[0].range, children: children)
    }

    func symbol(
        name: String, detail: String, kind: SymbolKind, range: Range<Int>, selection: Range<Int>, children: [JSONValue] = []
    ) -> JSONValue {
        var object: JSONObject = [
            "name": .string(name.isEmpty ? "(empty)" : name), "detail": .string(detail), "kind": .integer(kind.rawValue),
            "range": encoder.range(range), "selectionRange": encoder.range(selection),
        ]
        if !children.isEmpty { object["children"] = .array(children) }
        return .object(object)
    }
}
