import Foundation
import AnnotationModel
import JSON
import JSONRPC
import TextModel

extension ScholiaServer {
    /// `initialize`: negotiates the position encoding, notes what the client can do and reads
    /// Scholia's initialization options (the same keys as the `scholia` settings).
    func initialize(_ rawParams: JSONValue?) throws(RPCError) -> JSONValue {
        let params = try Params(method: "initialize", rawParams)
        let encoding = try Self.negotiateEncoding(params)
        let client = ClientFeatures(capabilities: params["capabilities"])
        var settings = state.withLock { $0.settings }
        if let options = params["initializationOptions"] {
            // Options may be the settings themselves or wrap them in `scholia`, as settings do.
            let scholia = options["scholia"].flatMap { $0.objectValue == nil ? nil : $0 } ?? options
            // Before the settings are read, so that they may name the workspace's modules.
            if scholia["trustWorkspaceModules"]?.boolValue == true { loadWorkspaceModules(params) }
            let (parsed, problems) = parseSettings(scholia, over: settings, path: "initializationOptions")
            if let problem = problems.first { throw .invalidParams(problem) }
            settings = parsed
        }
        state.withLock { state in
            state.phase = .running
            state.encoding = encoding
            state.client = client
            state.settings = settings
            state.initialSettings = settings
        }
        log("initialized: position encoding \(encoding.rawValue)")

        var capabilities = JSONObject()
        capabilities["positionEncoding"] = .string(encoding.rawValue)
        capabilities["textDocumentSync"] = ["openClose": true, "change": 2]
        capabilities["diagnosticProvider"] = [
            "identifier": "scholia", "interFileDependencies": false, "workspaceDiagnostics": false,
        ]
        capabilities["semanticTokensProvider"] = [
            "legend": SemanticTokenLegend(registry: registry).json,
            "range": true,
            "full": ["delta": true],
        ]
        capabilities["hoverProvider"] = true
        capabilities["documentSymbolProvider"] = true
        capabilities["inlayHintProvider"] = true
        capabilities["codeLensProvider"] = ["resolveProvider": false]
        capabilities["documentHighlightProvider"] = true
        capabilities["codeActionProvider"] = ["codeActionKinds": ["quickfix"]]
        capabilities["experimental"] = [
            "scholia": [
                "methods": ["scholia/annotate", "scholia/profile", "scholia/modules"],
                "modules": .array(registry.names.map { .string($0) }),
            ]
        ]
        return [
            "capabilities": .object(capabilities),
            "serverInfo": ["name": .string(configuration.name), "version": .string(configuration.version)],
        ]
    }

    /// Adds the modules of each workspace root. Only the client's say-so (`trustWorkspaceModules`)
    /// gets here, and only at `initialize`: a later configuration change loads nothing.
    private func loadWorkspaceModules(_ params: Params) {
        guard let load = configuration.loadWorkspaceModules else { return }
        var roots: [String] = []
        for folder in params["workspaceFolders"]?.arrayValue ?? [] {
            if let path = folder["uri"]?.stringValue.flatMap(Self.filePath) { roots.append(path) }
        }
        if roots.isEmpty, let path = params["rootUri"]?.stringValue.flatMap(Self.filePath) { roots.append(path) }
        if roots.isEmpty, let path = params["rootPath"]?.stringValue, path.hasPrefix("/") { roots.append(path) }
        modules.withLock { registry in
            for root in roots { load(root, &registry) }
        }
        log("workspace modules trusted: \(roots.isEmpty ? "no workspace root given" : roots.joined(separator: ", "))")
    }

    /// The local path of a `file:` URI (nil for any other scheme).
    static func filePath(_ uri: String) -> String? {
        guard let url = URL(string: uri), url.isFileURL else { return nil }
        return url.path
    }

    /// The first encoding in the client's order of preference that Scholia speaks; UTF-16 when the
    /// client offers none (LSP makes UTF-16 mandatory).
    static func negotiateEncoding(_ params: Params) throws(RPCError) -> PositionEncoding {
        guard let capabilities = try params.optionalObject("capabilities"),
              let general = try capabilities.optionalObject("general"),
              let offered = try general.optionalStringArray("positionEncodings")
        else { return .utf16 }
        return offered.lazy.compactMap(PositionEncoding.init(rawValue:)).first ?? .utf16
    }
}

/// `Language` lives in AnnotationModel; re-exported here so the server's files read naturally.
public typealias Language = AnnotationModel.Language
