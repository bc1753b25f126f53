import DocumentStore
import JSON
import JSONRPC

extension ScholiaServer {
    /// `initialized`: a client that answers `workspace/configuration` is asked for its settings now,
    /// since `initializationOptions` often carry none.
    func initialized() {
        if state.withLock({ $0.client.configuration }) { pullConfiguration() }
    }

    /// `workspace/didChangeConfiguration`: settings pushed under `settings.scholia` apply at once; a
    /// notification without them (the pull model: `settings` is null) makes the server ask.
    func didChangeConfiguration(_ rawParams: JSONValue?) throws(RPCError) {
        let params = try Params(method: "workspace/didChangeConfiguration", rawParams)
        if let scholia = params["settings"]?["scholia"], !scholia.isNull {
            applySettings(scholia, path: "settings.scholia")
        } else if state.withLock({ $0.client.configuration }) {
            pullConfiguration()
        }
    }

    /// Asks the client for the `scholia` section (`workspace/configuration`) and applies the answer.
    func pullConfiguration() {
        sendRequest("workspace/configuration", ["items": [["section": "scholia"]]]) { [self] result in
            switch result {
            case .success(let items):
                guard let first = items.arrayValue?.first else {
                    logToClient(.warning, "workspace/configuration: expected an array with one item, got \(items.typeName)")
                    return
                }
                applySettings(first, path: "scholia")
            case .failure(let error):
                log("workspace/configuration failed: \(error)")
            }
        }
    }

    /// Applies settings over those `initialize` set up. Wrong keys are reported to the client and
    /// skipped; when anything changed, open documents are annotated again under the new settings.
    func applySettings(_ value: JSONValue, path: String) {
        let base = state.withLock { $0.initialSettings }
        let (settings, problems) = parseSettings(value, over: base, path: path)
        for problem in problems { logToClient(.error, "configuration: \(problem)") }
        let changed: (snapshots: [DocumentSnapshot], client: ClientFeatures)? = state.withLock { state in
            guard state.settings != settings else { return nil }
            state.settings = settings
            state.settingsGeneration += 1
            // Analyses under the old settings are of no further use.
            state.analyses.removeAll()
            return (state.documents.uris.compactMap { state.documents[$0] }, state.client)
        }
        guard let changed else { return }
        log("configuration changed")
        if changed.client.pullDiagnostics {
            if changed.client.diagnosticRefresh { sendRequest("workspace/diagnostic/refresh", nil) }
        } else {
            for snapshot in changed.snapshots { scheduleDiagnostics(for: snapshot, debounce: false) }
        }
        if changed.client.semanticTokensRefresh { sendRequest("workspace/semanticTokens/refresh", nil) }
        if changed.client.inlayHintRefresh { sendRequest("workspace/inlayHint/refresh", nil) }
        if changed.client.codeLensRefresh { sendRequest("workspace/codeLens/refresh", nil) }
    }

    /// Sends a request to the client; `onResult` gets its answer (on the thread that delivers it).
    func sendRequest(
        _ method: String, _ params: JSONValue?,
        onResult: @escaping @Sendable (Result<JSONValue, RPCError>) -> Void = { _ in }
    ) {
        // String ids with a prefix, so they can never be mistaken for the client's own numbering.
        let id: RequestID = state.withLock { state in
            let id = RequestID.string("scholia-\(state.nextOutgoingID)")
            state.nextOutgoingID += 1
            state.outgoing[id] = onResult
            return id
        }
        send(.message(.request(id: id, method: method, params: params)))
    }
}
