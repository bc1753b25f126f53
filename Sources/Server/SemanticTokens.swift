import AnnotationModel
import JSON
import JSONRPC
import ModuleHost
import TextModel

/// The semantic token types and modifiers Scholia uses. Types are the built-in kinds plus any
/// custom module's token type; the order is fixed so that indexes stay put from run to run.
struct SemanticTokenLegend: Sendable {
    static let builtinTypes = ["hedge", "source", "cue", "quote"]
    static let modifiers = ["named", "unnamed", "partial", "nested", "attributed", "unattributed", "unclosed"]

    let types: [String]
    /// The token type of each kind a loaded module declares.
    let typeOfKind: [AnnotationKind: String]

    init(registry: ModuleRegistry) {
        var types = Self.builtinTypes
        var typeOfKind: [AnnotationKind: String] = [:]
        for module in registry.modules {
            for kind in module.descriptor.kinds {
                if typeOfKind[kind.kind] == nil { typeOfKind[kind.kind] = kind.tokenType }
                if !types.contains(kind.tokenType) { types.append(kind.tokenType) }
            }
        }
        self.types = types
        self.typeOfKind = typeOfKind
    }

    var json: JSONValue {
        ["tokenTypes": .array(types.map { .string($0) }), "tokenModifiers": .array(Self.modifiers.map { .string($0) })]
    }

    /// The index of an annotation's token type, or nil for a kind without one.
    func typeIndex(of annotation: Annotation) -> Int? {
        types.firstIndex(of: typeOfKind[annotation.kind] ?? annotation.kind.rawValue)
    }

    /// The modifier bit set: what sort of source or quote it is.
    static func modifierBits(of annotation: Annotation) -> Int {
        var names: [String] = []
        switch annotation.attributes["named"]?.boolValue {
        case true?: names.append("named")
        case false?: names.append("unnamed")
        case nil: break
        }
        if annotation.attributes["partial"]?.boolValue == true { names.append("partial") }
        if let nested = annotation.attributes["nested"], nested.boolValue == true || (nested.integerValue ?? 0) > 0 {
            names.append("nested")
        }
        if annotation.kind == .quote {
            names.append(annotation.link(AnnotationLink.speaker) != nil ? "attributed" : "unattributed")
        }
        if annotation.attributes["closed"]?.boolValue == false { names.append("unclosed") }
        return names.reduce(0) { bits, name in bits | (1 << modifiers.firstIndex(of: name)!) }
    }
}

/// One token before encoding: a UTF-8 range on one line (or several, when the client allows it).
struct SemanticToken: Sendable, Equatable {
    var range: Range<Int>
    var type: Int
    var modifiers: Int
}

/// The last full token set sent for a document, kept for `full/delta`.
struct SemanticTokensResult: Sendable {
    var resultID: String
    var data: [Int]
}

enum SemanticTokenEncoder {
    /// Tokens may not overlap, but annotations nest (a hedge inside a quote). Each stretch of text
    /// gets the innermost annotation covering it, so the quote's token is cut around the hedge.
    /// Then each piece is cut at line ends unless the client takes multi-line tokens.
    static func tokens(
        for annotations: [Annotation], legend: SemanticTokenLegend, lineIndex: LineIndex, multiline: Bool
    ) -> [SemanticToken] {
        let typed = annotations.compactMap { annotation in
            legend.typeIndex(of: annotation).map { (annotation, $0) }
        }.filter { !$0.0.range.isEmpty }
        guard !typed.isEmpty else { return [] }
        var boundaries = Set<Int>()
        for (annotation, _) in typed {
            boundaries.insert(annotation.start)
            boundaries.insert(annotation.end)
        }
        let points = boundaries.sorted()
        let byStart = typed.indices.sorted { typed[$0].0.start < typed[$1].0.start }
        var next = 0
        var active: [Int] = []
        var flat: [(range: Range<Int>, index: Int)] = []
        for (low, high) in zip(points, points.dropFirst()) {
            while next < byStart.count && typed[byStart[next]].0.start <= low {
                active.append(byStart[next])
                next += 1
            }
            active.removeAll { typed[$0].0.end <= low }
            // Innermost: the shortest; of equal ones, the one that starts later (then the later in order).
            guard let inner = active.min(by: { a, b in
                let ra = typed[a].0.range, rb = typed[b].0.range
                if ra.count != rb.count { return ra.count < rb.count }
                if ra.lowerBound != rb.lowerBound { return ra.lowerBound > rb.lowerBound }
                return a > b
            }) else { continue }
            if let last = flat.last, last.index == inner, last.range.upperBound == low {
                flat[flat.count - 1].range = last.range.lowerBound..<high
            } else {
                flat.append((low..<high, inner))
            }
        }
        var tokens: [SemanticToken] = []
        for (range, index) in flat {
            let (annotation, type) = typed[index]
            let modifiers = SemanticTokenLegend.modifierBits(of: annotation)
            if multiline {
                tokens.append(SemanticToken(range: range, type: type, modifiers: modifiers))
                continue
            }
            var line = lineIndex.line(containing: range.lowerBound)
            var start = range.lowerBound
            while start < range.upperBound && line < lineIndex.lineCount {
                let content = lineIndex.contentRange(ofLine: line)
                let end = min(range.upperBound, content.upperBound)
                if end > start { tokens.append(SemanticToken(range: start..<end, type: type, modifiers: modifiers)) }
                line += 1
                if line < lineIndex.lineCount { start = max(start, lineIndex.lineStarts[line]) }
            }
        }
        return tokens
    }

    /// LSP's relative encoding: per token, line delta, start delta (from the previous token's start
    /// when on the same line), length, type, modifiers; characters in the negotiated encoding.
    static func encode(_ tokens: [SemanticToken], lineIndex: LineIndex, encoding: PositionEncoding) -> [Int] {
        var data: [Int] = []
        data.reserveCapacity(tokens.count * 5)
        var previous = TextPosition(line: 0, character: 0)
        for token in tokens {
            let start = lineIndex.position(ofUTF8: token.range.lowerBound, in: encoding)
            let length = lineIndex.offset(fromUTF8: token.range.upperBound, to: encoding)
                - lineIndex.offset(fromUTF8: token.range.lowerBound, to: encoding)
            let deltaLine = start.line - previous.line
            data += [deltaLine, deltaLine == 0 ? start.character - previous.character : start.character, length,
                     token.type, token.modifiers]
            previous = start
        }
        return data
    }

    /// One edit turning `old` into `new` (the common prefix and suffix kept), or none when equal.
    static func edits(from old: [Int], to new: [Int]) -> [JSONValue] {
        if old == new { return [] }
        var prefix = 0
        while prefix < old.count && prefix < new.count && old[prefix] == new[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < old.count - prefix && suffix < new.count - prefix
            && old[old.count - 1 - suffix] == new[new.count - 1 - suffix]
        {
            suffix += 1
        }
        return [[
            "start": JSONValue(prefix), "deleteCount": JSONValue(old.count - prefix - suffix),
            "data": .array(new[prefix..<(new.count - suffix)].map { JSONValue($0) }),
        ]]
    }
}

extension ScholiaServer {
    private func fullTokens(_ analysis: DocumentAnalysis, _ context: EditorContext) -> [Int] {
        let index = analysis.snapshot.lineIndex
        let tokens = SemanticTokenEncoder.tokens(
            for: analysis.annotations, legend: SemanticTokenLegend(registry: registry), lineIndex: index,
            multiline: context.client.multilineTokens)
        return SemanticTokenEncoder.encode(tokens, lineIndex: index, encoding: context.encoding)
    }

    /// Keeps a full token set as the document's latest, under a new result id.
    private func remember(_ data: [Int], uri: String) -> String {
        state.withLock { state in
            let id = String(state.nextSemanticTokensID)
            state.nextSemanticTokensID += 1
            state.semanticTokens[uri] = SemanticTokensResult(resultID: id, data: data)
            return id
        }
    }

    func semanticTokensFull(id: RequestID, method: String, params: Params, complete: @escaping Completion) throws(RPCError) {
        let uri = try Self.documentURI(params)
        withAnalysis(id: id, method: method, uri: uri, complete: complete) { [self] analysis, context in
            let data = fullTokens(analysis, context)
            let resultID = remember(data, uri: uri)
            return ["resultId": .string(resultID), "data": .array(data.map { JSONValue($0) })]
        }
    }

    /// `full/delta`: edits against the token set the client has (by `previousResultId`), or a full
    /// set when the server no longer has that one.
    func semanticTokensDelta(id: RequestID, method: String, params: Params, complete: @escaping Completion) throws(RPCError) {
        let uri = try Self.documentURI(params)
        let previousID = try params.string("previousResultId")
        withAnalysis(id: id, method: method, uri: uri, complete: complete) { [self] analysis, context in
            let data = fullTokens(analysis, context)
            let previous = state.withLock { $0.semanticTokens[uri] }
            let resultID = remember(data, uri: uri)
            guard let previous, previous.resultID == previousID else {
                return ["resultId": .string(resultID), "data": .array(data.map { JSONValue($0) })]
            }
            return ["resultId": .string(resultID), "edits": .array(SemanticTokenEncoder.edits(from: previous.data, to: data))]
        }
    }

    /// `range`: the tokens that touch the range (whole tokens, encoded from the first of them).
    func semanticTokensRange(id: RequestID, method: String, params: Params, complete: @escaping Completion) throws(RPCError) {
        let uri = try Self.documentURI(params)
        let range = try Self.textRange(params.object("range"))
        withAnalysis(id: id, method: method, uri: uri, complete: complete) { [self] analysis, context throws(RPCError) in
            let wanted = try Self.utf8Range(of: range, in: analysis, context: context, method: method)
            let index = analysis.snapshot.lineIndex
            let tokens = SemanticTokenEncoder.tokens(
                for: analysis.annotations, legend: SemanticTokenLegend(registry: registry), lineIndex: index,
                multiline: context.client.multilineTokens
            ).filter { $0.range.upperBound > wanted.lowerBound && $0.range.lowerBound < max(wanted.upperBound, wanted.lowerBound + 1) }
            let data = SemanticTokenEncoder.encode(tokens, lineIndex: index, encoding: context.encoding)
            return ["data": .array(data.map { JSONValue($0) })]
        }
    }
}
