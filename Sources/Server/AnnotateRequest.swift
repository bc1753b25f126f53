import AnnotationModel
import JSON
import JSONRPC
import TextModel

extension ScholiaServer {
    /// What a request answers with, once the pipeline has run.
    enum AnnotateAnswer: Sendable {
        /// `scholia/annotate`: the annotations.
        case annotations
        /// `scholia/profile`: the document profile (counts, rates, distinct sources).
        case profile
    }

    /// `scholia/annotate` and `scholia/profile`: annotate a text given in the request, or an open
    /// document by `uri`. Runs on the work queue and can be cancelled with `$/cancelRequest`.
    func annotateRequest(
        id: RequestID, method: String, answering kind: AnnotateAnswer, params rawParams: JSONValue?,
        complete: @escaping Completion
    ) {
        let job: AnnotateJob
        do {
            job = try prepareAnnotate(method: method, rawParams)
        } catch {
            complete(.failure(error))
            return
        }
        let flag = CancellationFlag()
        state.withLock { $0.inFlight[id] = flag }
        work.async { [self] in
            defer { state.withLock { _ = $0.inFlight.removeValue(forKey: id) } }
            if flag.isCancelled {
                complete(.failure(.requestCancelled()))
                return
            }
            let language = language(for: job.lineIndex.utf8, requested: job.language)
            let result = registry.pipeline(enabled: job.modules).run(
                text: job.text, language: language, isCancelled: { flag.isCancelled })
            if result.cancelled || flag.isCancelled {
                complete(.failure(.requestCancelled()))
                return
            }
            report(result, about: job.uri ?? "\(method) request \(id)")
            var answer = JSONObject()
            answer["language"] = .string(language.rawValue)
            if let uri = job.uri { answer["uri"] = .string(uri) }
            if let version = job.version { answer["version"] = .integer(Int64(version)) }
            switch kind {
            case .annotations:
                let encoder = AnnotationJSONWriter(lineIndex: job.lineIndex, encoding: job.encoding)
                answer["annotations"] = encoder.json(result.annotations)
            case .profile:
                answer["profile"] = ProfileJSON.json(DocumentProfile(utf8: job.lineIndex.utf8, annotations: result.annotations))
            }
            if !result.failures.isEmpty {
                answer["failures"] = .array(result.failures.map {
                    ["module": .string($0.module), "message": .string($0.message)]
                })
            }
            complete(.success(.object(answer)))
        }
    }

    struct AnnotateJob: Sendable {
        var text: String
        var lineIndex: LineIndex
        var uri: String?
        var version: Int?
        var language: Language?
        var modules: Set<String>?
        var encoding: PositionEncoding
    }

    private func prepareAnnotate(method: String, _ rawParams: JSONValue?) throws(RPCError) -> AnnotateJob {
        let params = try Params(method: method, rawParams)
        let text = try params.optionalString("text")
        let uri = try params.optionalString("uri")
        let language = try parseLanguage(params.optionalString("language"), field: "\(method): language")
        var modules = try parseModules(params.optionalStringArray("modules"), field: "\(method): modules")
        return try state.withLock { (state) throws(RPCError) -> AnnotateJob in
            if modules == nil { modules = state.enabledModules }
            switch (text, uri) {
            case (let text?, nil):
                return AnnotateJob(
                    text: text, lineIndex: LineIndex(text), language: language, modules: modules,
                    encoding: state.encoding)
            case (nil, let uri?):
                guard let snapshot = state.documents[uri] else {
                    throw .invalidParams("\(method): document \(uri) is not open")
                }
                return AnnotateJob(
                    text: snapshot.text, lineIndex: snapshot.lineIndex, uri: uri, version: snapshot.version,
                    language: language, modules: modules, encoding: state.encoding)
            case (nil, nil):
                throw .invalidParams("\(method): give 'text' or 'uri'")
            case (.some, .some):
                throw .invalidParams("\(method): give 'text' or 'uri', not both")
            }
        }
    }
}
