import AnnotationModel
import DocumentStore
import Dispatch
import JSON
import JSONRPC
import Markup
import TextEngine
import Synchronization
import TextModel

/// The annotations of one document version under one generation of settings: what diagnostics,
/// semantic tokens, hovers, symbols, hints, lenses and highlights are all made from. Kept per open
/// document, so the features an editor asks for together annotate the text once.
struct DocumentAnalysis: Sendable {
    let snapshot: DocumentSnapshot
    let generation: Int
    /// Which opening of the document this is (see `State.openSerials`).
    let serial: Int
    let language: Language
    /// In UTF-8 offsets of the document, sorted by position, ids numbered.
    var annotations: [Annotation]
    /// Their links both ways; built when a feature first asks (a publish needs it only for the
    /// diagnostics it builds anew, and makes its own of their part).
    var graph: AnnotationGraph { lazyGraph.value { AnnotationGraph(annotations) } }
    /// Made only when an editor feature asks, and shared by the copies of one analysis.
    private let lazyGraph = MadeOnce<AnnotationGraph>()
    /// The markup the document was read as (from its language id).
    let format: MarkupFormat
    /// What the next version's incremental run starts from: the prose view, its paragraphs and
    /// the pipeline's annotations in view offsets (before mapping and ignore directives).
    var viewUTF8: [UInt8] = []
    /// Whether `viewUTF8` is the text itself (plain text, or markup with nothing to hide).
    var viewIsIdentity = false
    var viewParagraphs: [Range<Int>] = []
    var viewAnnotations: [Annotation] = []
    /// Who links to whom in `viewAnnotations`, and in `annotations` when mapping them to the
    /// original kept their order and ids (`linksKept`); nil when not worked out.
    var viewLinks: LinkSpans? = nil
    var linksKept = false
    /// Names this analysis (a publish records which one it wrote).
    let token = AnalysisToken()
    /// How `annotations` continue an earlier analysis's, when they were merged from it.
    var continuity: Continuity? = nil
    /// `Paragraphs.commonEnds` of an earlier version's text (`version`) and this one's, when
    /// worked out (what a publish after that version's needs).
    var commonEnds: (version: Int, prefix: Int, suffix: Int)? = nil
    var links: LinkSpans? { linksKept ? viewLinks : nil }

    init(
        snapshot: DocumentSnapshot, generation: Int, serial: Int, language: Language, annotations: [Annotation],
        format: MarkupFormat = .plaintext
    ) {
        self.format = format
        self.snapshot = snapshot
        self.generation = generation
        self.serial = serial
        self.language = language
        self.annotations = annotations
    }

    /// Names this exact result: same id, same diagnostics (pull diagnostics' `resultId`).
    var resultID: String { "\(serial).\(snapshot.version).\(generation)" }

    /// The annotations that contain a UTF-8 offset (a cursor at either end counts), innermost first.
    func annotations(at offset: Int) -> [Annotation] {
        annotations
            .filter { $0.range.lowerBound <= offset && offset <= $0.range.upperBound }
            .sorted { a, b in
                a.range.count != b.range.count ? a.range.count < b.range.count : a.range.lowerBound > b.range.lowerBound
            }
    }
}

/// The identity of one analysis.
final class AnalysisToken: Sendable {}

/// A value handed over once: the first `take` gets it, later ones nil (so that whoever holds the
/// box does not hold the value too).
final class Handover<Value: Sendable>: Sendable {
    private let value: Mutex<Value?>

    init(_ value: Value?) { self.value = Mutex(value) }

    func take() -> Value? {
        value.withLock { value in
            defer { value = nil }
            return value
        }
    }
}

/// What an incremental run kept of an earlier analysis (`from`): its first `kept` annotations are
/// this one's first, unchanged; from `after` on this one's are its last ones, moved by the edit (same
/// kinds, texts, attributes and links to the same annotations; ids renumbered only when `renumbered`).
struct Continuity: Sendable {
    let from: AnalysisToken
    let kept: Int
    let after: Int
    let renumbered: Bool
}

/// What a feature needs besides the analysis: how the client counts, what it can do, the settings.
struct EditorContext: Sendable {
    let encoding: PositionEncoding
    let client: ClientFeatures
    let settings: Settings
    let defaultSeverities: [AnnotationKind: AnnotationSeverity]

    func severity(of kind: AnnotationKind) -> AnnotationSeverity? {
        settings.severity(of: kind, defaults: defaultSeverities)
    }
}

extension ScholiaServer {
    /// Everything needed to analyse a document, read under one lock so it is consistent.
    struct AnalysisInput: Sendable {
        let snapshot: DocumentSnapshot
        let cached: DocumentAnalysis?
        /// The analysis of an earlier version under the same settings, to re-annotate incrementally:
        /// taken by the analysis, which may change its annotations' array in place.
        let previous: Handover<DocumentAnalysis>
        let generation: Int
        let serial: Int
        let context: EditorContext
    }

    /// Reads the current version of an open document and what its analysis needs; nil when it is not open.
    func analysisInput(uri: String) -> AnalysisInput? {
        state.withLock { state in
            guard let snapshot = state.documents[uri] else { return nil }
            let cached = state.analyses[uri].flatMap { analysis in
                analysis.snapshot.version == snapshot.version && analysis.generation == state.settingsGeneration
                    ? analysis : nil
            }
            let previous = state.analyses[uri].flatMap { analysis in
                analysis.generation == state.settingsGeneration && analysis.serial == state.openSerials[uri]
                    && analysis.snapshot.version < snapshot.version ? analysis : nil
            }
            return AnalysisInput(
                snapshot: snapshot, cached: cached, previous: Handover(previous), generation: state.settingsGeneration,
                serial: state.openSerials[uri] ?? 0,
                context: EditorContext(
                    encoding: state.encoding, client: state.client, settings: state.settings,
                    defaultSeverities: defaultSeverities))
        }
    }

    /// True when the document is no longer at this version or the settings changed since.
    func isStale(_ input: AnalysisInput) -> Bool {
        state.withLock { state in
            state.documents[input.snapshot.uri]?.version != input.snapshot.version
                || state.settingsGeneration != input.generation
        }
    }

    /// Annotates a document version (or returns the cached analysis) and keeps the result if it is
    /// still current. Nil when cancelled.
    ///
    /// Markdown and HTML documents are annotated through their prose view (code, URLs and tags
    /// hidden, entities decoded) and the spans mapped back to the original text; annotations where
    /// an ignore directive switches their module off are dropped.
    func analysis(for input: AnalysisInput, isCancelled: @escaping @Sendable () -> Bool) -> DocumentAnalysis? {
        if let cached = input.cached { return cached }
        var input = input
        let uri = input.snapshot.uri
        var previous = input.previous.take()
        // An incremental run of this document in flight took the analysis it starts from out of
        // the state (to change its annotations in place): its result is this version's analysis,
        // or the one to start from. Waited for, rather than annotating everything.
        if previous == nil, let inFlight = state.withLock({ $0.merges[uri] }) {
            inFlight.wait()
            guard let fresh = analysisInput(uri: uri), fresh.snapshot.version == input.snapshot.version,
                fresh.generation == input.generation
            else { return nil }
            if let cached = fresh.cached { return cached }
            input = fresh
            previous = fresh.previous.take()
        }
        // While this run owns the previous annotations, the runs of this document that start wait for it.
        var claim: DispatchGroup? = nil
        defer {
            if let claim {
                state.withLock { state in
                    if state.merges[uri] === claim { state.merges[uri] = nil }
                }
                claim.leave()
            }
        }
        let settings = input.context.settings
        let snapshot = input.snapshot
        let format = MarkupFormat(languageID: snapshot.languageID)
        let view = ProseView(snapshot.utf8, format: format)
        let pipeline = registry.pipeline(enabled: settings.enabledModules)
        // Where the text differs from the previous analysis's, found once for the paragraphs, the
        // incremental run and the publish; from what the edit left alone when it was one edit away,
        // so only the bytes around the edit are read.
        var textEnds: (prefix: Int, suffix: Int)? = nil
        var viewEnds: (prefix: Int, suffix: Int)? = nil
        if let previous {
            if let known = snapshot.unchanged, known.version == previous.snapshot.version {
                textEnds = Paragraphs.commonEnds(
                    previous.snapshot.utf8, snapshot.utf8, atLeast: (known.prefix, known.suffix))
            } else {
                textEnds = Paragraphs.commonEnds(previous.snapshot.utf8, snapshot.utf8)
            }
            if !previous.viewUTF8.isEmpty {
                viewEnds = view.isIdentity && previous.viewIsIdentity
                    ? textEnds : Paragraphs.commonEnds(previous.viewUTF8, view.utf8)
            }
        }
        // Detection reads only the start of the text: when the edit left that alone (and the
        // settings, or there would be no previous analysis), the language is the previous one.
        let language: Language
        if let chosen = settings.language {
            language = chosen
        } else if let previous, let viewEnds, viewEnds.prefix >= LanguageDetector.defaultSampleBytes {
            language = previous.language
        } else {
            language = LanguageDetector.detect(view.utf8)
        }
        let paragraphs: [Range<Int>]
        if let previous, !previous.viewUTF8.isEmpty, let viewEnds {
            // Only the lines around the edit are split again.
            paragraphs = Paragraphs.ranges(
                in: view.utf8, editedFrom: previous.viewUTF8, oldRanges: previous.viewParagraphs, commonEnds: viewEnds)
        } else {
            paragraphs = Paragraphs.ranges(in: view.utf8)
        }
        var viewAnnotations: [Annotation]?
        var viewLinks: LinkSpans?
        var continuity: Continuity?
        let previousVersion = previous?.snapshot.version
        if previous != nil, previous!.language == language, !previous!.viewUTF8.isEmpty, pipeline.isParagraphLocal {
            // The only copy of it here (a binding would be one more holder of its annotations).
            var owned = previous!
            previous = nil
            // The merge changes the previous annotations' array in place when it is the only
            // holder (else it copies it, every annotation, and the old array is destroyed later):
            // the state lets go of the previous analysis (runs of this document that start
            // meanwhile wait for this one), and the last publish of its annotations.
            let group = DispatchGroup()
            group.enter()
            let claimed = state.withLock { state -> Bool in
                guard state.merges[uri] == nil else { return false }
                state.merges[uri] = group
                if state.analyses[uri]?.token === owned.token { state.analyses[uri] = nil }
                return true
            }
            if claimed {
                claim = group
                state.withLock { $0.diagnosticCaches[uri] }?.releaseAnnotations(of: owned.token)
            } else {
                group.leave()
            }
            // For plain text `annotations` is the same array as `viewAnnotations`.
            let shared = owned.annotations.withUnsafeBufferPointer { $0.baseAddress }
                == owned.viewAnnotations.withUnsafeBufferPointer { $0.baseAddress }
            let oldAnnotations = owned.viewAnnotations
            owned.viewAnnotations = []
            if shared { owned.annotations = [] }
            var incremental = IncrementalAnnotation(
                oldView: owned.viewUTF8, oldParagraphs: owned.viewParagraphs,
                oldAnnotations: consume oldAnnotations, newView: view.utf8, newParagraphs: paragraphs,
                oldLinks: owned.viewLinks, commonEnds: viewEnds)
            let outcome = incremental.run { window in
                let result = pipeline.run(
                    text: window, language: language, moduleOptions: settings.moduleOptions, isCancelled: isCancelled)
                return result.cancelled ? nil : result
            }
            if let outcome {
                report(outcome.result, about: snapshot.uri)
                log("re-annotated \(outcome.window.count) of \(view.utf8.count) bytes of \(snapshot.uri)")
                viewAnnotations = outcome.annotations
                viewLinks = outcome.links
                if let kept = outcome.kept, view.isIdentity && view.suppressions.isEmpty {
                    continuity = Continuity(
                        from: owned.token, kept: kept.prefix, after: kept.after, renumbered: kept.renumbered)
                }
            }
            if outcome == nil && isCancelled() {
                // Not merged: the previous analysis goes back to the state for the next run.
                if claimed && !incremental.oldAnnotations.isEmpty {
                    owned.viewAnnotations = incremental.oldAnnotations
                    if shared { owned.annotations = owned.viewAnnotations }
                    let restored = owned
                    state.withLock { state in
                        if state.analyses[uri] == nil && state.settingsGeneration == input.generation {
                            state.analyses[uri] = restored
                        }
                    }
                }
                return nil
            }
        }
        if viewAnnotations == nil {
            let result = pipeline.run(
                text: view.isIdentity ? snapshot.text : view.text, language: language,
                moduleOptions: settings.moduleOptions, isCancelled: isCancelled)
            if result.cancelled { return nil }
            report(result, about: snapshot.uri)
            viewAnnotations = result.annotations
        }
        let (annotations, kept) = Self.mapToOriginal(viewAnnotations!, view: view, original: snapshot.utf8)
        var analysis = DocumentAnalysis(
            snapshot: snapshot, generation: input.generation, serial: input.serial, language: language,
            annotations: annotations, format: format)
        analysis.viewUTF8 = view.utf8
        analysis.viewIsIdentity = view.isIdentity
        if let textEnds, let previousVersion {
            analysis.commonEnds = (previousVersion, textEnds.prefix, textEnds.suffix)
        }
        analysis.viewParagraphs = paragraphs
        analysis.viewAnnotations = viewAnnotations!
        analysis.viewLinks = viewLinks
        analysis.linksKept = kept
        analysis.continuity = continuity
        state.withLock { state in
            guard state.settingsGeneration == input.generation, state.openSerials[uri] == input.serial else { return }
            // Kept even when the document has moved on meanwhile, unless a later version's is there:
            // the next version's run starts from it (and may be waiting for it).
            if let stored = state.analyses[uri], stored.generation == input.generation,
                stored.snapshot.version >= snapshot.version
            {
                return
            }
            state.analyses[uri] = analysis
        }
        if isCancelled() { return nil }
        return analysis
    }

    /// Moves annotations of a prose view onto the original text and drops those an ignore directive
    /// switches off; ids are numbered again and links to dropped annotations removed.
    /// `kept`: the result holds the same annotations in the same order, under the same ids.
    static func mapToOriginal(_ annotations: [Annotation], view: ProseView, original: [UInt8])
        -> (annotations: [Annotation], kept: Bool)
    {
        if view.isIdentity && view.suppressions.isEmpty { return (annotations, true) }
        var kept: [Annotation] = []
        kept.reserveCapacity(annotations.count)
        for var annotation in annotations {
            let range = view.originalRange(of: annotation.range)
            if view.isSuppressed(originalRange: range, module: annotation.module, kind: annotation.kind.rawValue) { continue }
            annotation.range = range
            annotation.text = String(decoding: original[range], as: UTF8.self)
            kept.append(annotation)
        }
        // The mapping keeps order, so ids stay right unless something was dropped.
        return kept.count == annotations.count ? (kept, true) : (AnnotationPipeline.finalize(kept), false)
    }

    /// Runs an editor request on a document's current analysis, off the reader thread, cancellable.
    /// A document that changes before the answer is ready gets `ContentModified` (-32801): the
    /// answer would describe a text the client no longer has.
    func withAnalysis(
        id: RequestID, method: String, uri: String, complete: @escaping Completion,
        _ body: @escaping @Sendable (DocumentAnalysis, EditorContext) throws(RPCError) -> JSONValue
    ) {
        guard let input = analysisInput(uri: uri) else {
            complete(.failure(.invalidParams("\(method): document \(uri) is not open")))
            return
        }
        let flag = CancellationFlag()
        state.withLock { $0.inFlight[id] = flag }
        work.async { [self] in
            defer { state.withLock { _ = $0.inFlight.removeValue(forKey: id) } }
            let stop: @Sendable () -> Bool = { [self] in flag.isCancelled || isStale(input) }
            guard !flag.isCancelled, let analysis = analysis(for: input, isCancelled: stop) else {
                complete(.failure(flag.isCancelled ? .requestCancelled() : .contentModified(method)))
                return
            }
            let answer = Result { () throws(RPCError) -> JSONValue in try body(analysis, input.context) }
            if flag.isCancelled {
                complete(.failure(.requestCancelled()))
            } else if isStale(input) {
                complete(.failure(.contentModified(method)))
            } else {
                complete(answer)
            }
        }
    }

    /// Reads `textDocument.uri` (every editor request has it).
    static func documentURI(_ params: Params) throws(RPCError) -> String {
        try params.object("textDocument").string("uri")
    }

    /// A client position as a UTF-8 offset of the analysed text; -32602 when it is not in the text.
    static func offset(of position: TextPosition, in analysis: DocumentAnalysis, context: EditorContext, method: String)
        throws(RPCError) -> Int
    {
        do {
            return try analysis.snapshot.lineIndex.utf8Offset(of: position, in: context.encoding)
        } catch {
            throw .invalidParams("\(method): position \(position) is not in the document: \(error)")
        }
    }

    static func utf8Range(of range: TextRange, in analysis: DocumentAnalysis, context: EditorContext, method: String)
        throws(RPCError) -> Range<Int>
    {
        do {
            return try analysis.snapshot.lineIndex.utf8Range(of: range, in: context.encoding)
        } catch {
            throw .invalidParams("\(method): range \(range) is not in the document: \(error)")
        }
    }
}

extension RPCError {
    static func contentModified(_ method: String) -> RPCError {
        RPCError(code: contentModifiedCode, message: "\(method): the document changed while the request ran")
    }
}
