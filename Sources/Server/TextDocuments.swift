import AnnotationModel
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
        let snapshot = state.withLock { $0.documents.open(uri: uri, languageID: languageID, version: version, text: text) }
        scheduleDiagnostics(for: snapshot)
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
        scheduleDiagnostics(for: snapshot)
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
            // Cleared while holding the lock, so no late result of this document can follow it.
            send(.message(.notification(
                method: "textDocument/publishDiagnostics",
                params: ["uri": .string(uri), "diagnostics": []])))
        }
    }

    /// Annotates a document version off the reader thread and publishes its diagnostics, unless the
    /// document has changed or closed by then.
    func scheduleDiagnostics(for snapshot: DocumentSnapshot) {
        let (encoding, enabled) = state.withLock { ($0.encoding, $0.enabledModules) }
        work.async { [self] in
            let isStale: @Sendable () -> Bool = { [self] in
                state.withLock { $0.documents[snapshot.uri]?.version != snapshot.version }
            }
            if isStale() { return }
            let language = language(for: snapshot.utf8, requested: nil)
            let result = registry.pipeline(enabled: enabled).run(
                text: snapshot.text, language: language, isCancelled: isStale)
            if result.cancelled { return }
            report(result, about: snapshot.uri)
            let builder = DiagnosticBuilder(
                encoder: AnnotationJSONEncoder(lineIndex: snapshot.lineIndex, encoding: encoding),
                severities: severities)
            let diagnostics = builder.diagnostics(for: result.annotations)
            state.withLock { state in
                // Checked and sent under the lock: a newer version's diagnostics can never be
                // overtaken by these.
                guard state.documents[snapshot.uri]?.version == snapshot.version else { return }
                send(.message(.notification(
                    method: "textDocument/publishDiagnostics",
                    params: ["uri": .string(snapshot.uri), "version": .integer(Int64(snapshot.version)),
                             "diagnostics": .array(diagnostics)])))
            }
        }
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
