import AnnotationModel
import Dispatch
import DocumentStore
import JSON
import JSONRPC
import TextModel

extension ScholiaServer {
    func didOpen(_ rawParams: JSONValue?) throws(RPCError) {
        let params = try Params(method: "textDocument/didOpen", rawParams)
        let document = try params.object("textDocument")
        let uri = try document.string("uri")
        let languageID = try document.optionalString("languageId") ?? "plaintext"
        let version = try document.integer("version")
        let text = try document.string("text")
        let snapshot = state.withLock { state in
            state.openCount += 1
            state.openSerials[uri] = state.openCount
            state.analyses[uri] = nil
            state.semanticTokens[uri] = nil
            state.diagnosticCaches[uri] = DiagnosticFragmentCache(uri: uri)
            return state.documents.open(uri: uri, languageID: languageID, version: version, text: text)
        }
        scheduleDiagnostics(for: snapshot, debounce: false)
    }

    func didChange(_ rawParams: JSONValue?) throws(RPCError) {
        let params = try Params(method: "textDocument/didChange", rawParams)
        let document = try params.object("textDocument")
        let uri = try document.string("uri")
        let version = try document.integer("version")
        var changes: [DocumentChange] = []
        for (index, raw) in try params.array("contentChanges").enumerated() {
            guard let object = raw.objectValue else {
                throw .invalidParams("textDocument/didChange: contentChanges[\(index)] must be an object")
            }
            let change = Params(method: "textDocument/didChange: contentChanges[\(index)]", object: object)
            let range = try change.optionalObject("range").map { range throws(RPCError) in try Self.textRange(range) }
            changes.append(DocumentChange(range: range, text: try change.string("text")))
        }
        let snapshot: DocumentSnapshot = try state.withLock { (state) throws(RPCError) -> DocumentSnapshot in
            do {
                return try state.documents.change(uri: uri, version: version, changes: changes, encoding: state.encoding).after
            } catch {
                throw RPCError.invalidParams("textDocument/didChange rejected: \(error)")
            }
        }
        scheduleDiagnostics(for: snapshot, debounce: true)
    }

    func didClose(_ rawParams: JSONValue?) throws(RPCError) {
        let params = try Params(method: "textDocument/didClose", rawParams)
        let uri = try params.object("textDocument").string("uri")
        try state.withLock { (state) throws(RPCError) in
            do {
                try state.documents.close(uri: uri)
            } catch {
                throw RPCError.invalidParams("textDocument/didClose: \(error)")
            }
            state.analyses[uri] = nil
            state.semanticTokens[uri] = nil
            state.openSerials[uri] = nil
            state.diagnosticCaches[uri] = nil
            // A client that pulls diagnostics clears them itself.
            if state.client.pullDiagnostics { return }
            // Cleared while holding the lock, so no late result of this document can follow it.
            send(.message(.notification(
                method: "textDocument/publishDiagnostics",
                params: ["uri": .string(uri), "diagnostics": []])))
        }
    }

    /// Annotates a document version off the reader thread and publishes its diagnostics, unless the
    /// document has changed or closed (or the settings changed) by then. After an edit the work
    /// waits `debounceMilliseconds` first: a newer edit in that time makes this version stale, so
    /// typing annotates once per pause rather than once per key.
    func scheduleDiagnostics(for snapshot: DocumentSnapshot, debounce: Bool) {
        guard let input = analysisInput(uri: snapshot.uri), input.snapshot.version == snapshot.version else { return }
        // A client that pulls diagnostics (`textDocument/diagnostic`) asks when it wants them.
        if input.context.client.pullDiagnostics { return }
        let run: @Sendable () -> Void = { [self] in
            let stale: @Sendable () -> Bool = { [self] in isStale(input) }
            if stale() { return }
            guard let analysis = analysis(for: input, isCancelled: stale) else { return }
            let cache = state.withLock { $0.diagnosticCaches[snapshot.uri] } ?? DiagnosticFragmentCache(uri: snapshot.uri)
            let body = publishBody(for: analysis, context: input.context, cache: cache)
            state.withLock { state in
                // Checked and sent under the lock: a newer version's diagnostics can never be
                // overtaken by these.
                guard state.documents[snapshot.uri]?.version == snapshot.version,
                      state.settingsGeneration == input.generation
                else { return }
                send(.serialized(body))
            }
        }
        let delay = debounce ? input.context.settings.debounceMilliseconds : 0
        if delay > 0 {
            work.asyncAfter(deadline: .now() + .milliseconds(delay), execute: run)
        } else {
            work.async(execute: run)
        }
    }

    func diagnostics(for analysis: DocumentAnalysis, context: EditorContext) -> [JSONValue] {
        DiagnosticBuilder(
            uri: analysis.snapshot.uri,
            encoder: AnnotationJSONWriter(lineIndex: analysis.snapshot.lineIndex, encoding: context.encoding),
            severity: context.severity(of:), cueDiagnostics: context.settings.cueDiagnostics
        ).diagnostics(for: analysis.annotations, graph: analysis.graph)
    }

    /// The `publishDiagnostics` notification of an analysis, serialized: the same JSON as
    /// `diagnostics(for:context:)` in a notification, spliced from the cache's pieces.
    func publishBody(for analysis: DocumentAnalysis, context: EditorContext, cache: DiagnosticFragmentCache) -> [UInt8] {
        cache.publishBody(
            version: analysis.snapshot.version, annotations: analysis.annotations, links: analysis.links,
            token: analysis.token, continuity: analysis.continuity, commonEnds: analysis.commonEnds,
            lineIndex: analysis.snapshot.lineIndex, encoding: context.encoding, generation: analysis.generation,
            severity: context.severity(of:), cueDiagnostics: context.settings.cueDiagnostics)
    }

    /// Tells the client about modules that failed and annotations that were refused.
    func report(_ result: PipelineResult, about subject: String) {
        for failure in result.failures {
            logToClient(.warning, "module \(failure.module) failed on \(subject): \(failure.message)")
        }
        for dropped in result.dropped {
            log("dropped an annotation of module \(dropped.module) on \(subject): \(dropped.reason)")
        }
    }

    static func textRange(_ range: Params) throws(RPCError) -> TextRange {
        TextRange(start: try position(range.object("start")), end: try position(range.object("end")))
    }

    static func position(_ position: Params) throws(RPCError) -> TextPosition {
        TextPosition(line: try position.integer("line"), character: try position.integer("character"))
    }
}
