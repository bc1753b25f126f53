import JSON
import JSONRPC
import TextModel

extension ScholiaServer {
    /// `initialize`: negotiates the position encoding and reads Scholia's initialization options.
    func initialize(_ rawParams: JSONValue?) throws(RPCError) -> JSONValue {
        let params = try Params(method: "initialize", rawParams)
        let encoding = try Self.negotiateEncoding(params)
        var language: Language?? = nil
        var modules: Set<String>?? = nil
        if let options = try params.optionalObject("initializationOptions") {
            language = .some(try parseLanguage(options.optionalString("language"), field: "initializationOptions.language"))
            modules = .some(try parseModules(options.optionalStringArray("modules"), field: "initializationOptions.modules"))
        }
        state.withLock { state in
            state.phase = .running
            state.encoding = encoding
            if let language { state.language = language ?? configuration.language }
            if let modules { state.enabledModules = modules }
        }
        log("initialized: position encoding \(encoding.rawValue)")

        var capabilities = JSONObject()
        capabilities["positionEncoding"] = .string(encoding.rawValue)
        capabilities["textDocumentSync"] = ["openClose": true, "change": 2]
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
import AnnotationModel
