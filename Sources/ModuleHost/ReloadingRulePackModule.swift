import AnnotationModel
import Foundation
import Synchronization

/// A `rules` module that follows its pack files: when one changes on disk it is read again, so a
/// newsroom editing its word list sees the result on the next keystroke, without restarting the
/// server. A pack that no longer reads keeps the last good version running and says why (log and
/// `scholia/modules`' last error) until it is fixed.
///
/// Files are checked (one `stat` each) at most once per `checkInterval`, so annotating stays cheap.
public final class ReloadingRulePackModule: Annotator, SupervisedModule {
    public let descriptor: ModuleDescriptor
    let manifest: ModuleManifest
    let paths: [String]
    let build: ModuleLoader.RulePackLoader
    let events: ModuleEvents
    let checkInterval: Double

    private struct State {
        var annotator: any Annotator
        var stamps: [String: Date?]
        var lastCheck: Date
        var lastError: String?
    }
    private let state: Mutex<State>

    /// Loads the packs now; a pack that cannot be read fails the module (as any load error does).
    public init(manifest: ModuleManifest, paths: [String], events: ModuleEvents, checkInterval: Double = 1,
                build: @escaping ModuleLoader.RulePackLoader) throws {
        self.manifest = manifest
        self.paths = paths
        self.build = build
        self.events = events
        self.checkInterval = checkInterval
        descriptor = manifest.descriptor
        let stamps = Self.stamps(of: paths)
        let annotator = try build(try Self.read(paths, manifest: manifest), manifest)
        state = Mutex(State(annotator: annotator, stamps: stamps, lastCheck: Date(), lastError: nil))
    }

    public var lastError: String? { state.withLock { $0.lastError } }
    public func shutdown() {}

    public func annotate(_ request: AnnotationRequest) throws -> [Annotation] {
        try current().annotate(request)
    }

    /// The annotator of the packs as they are on disk now (reloading first if they changed).
    func current() -> any Annotator {
        let now = Date()
        let due: [String: Date?]? = state.withLock { state in
            guard now.timeIntervalSince(state.lastCheck) >= checkInterval else { return nil }
            state.lastCheck = now
            return state.stamps
        }
        guard let previous = due else { return state.withLock { $0.annotator } }
        let stamps = Self.stamps(of: paths)
        guard stamps != previous else { return state.withLock { $0.annotator } }
        do {
            let fresh = try build(try Self.read(paths, manifest: manifest), manifest)
            events.log("module \(descriptor.name): rule packs changed on disk, reloaded")
            return state.withLock { state in
                state.annotator = fresh
                state.stamps = stamps
                state.lastError = nil
                return fresh
            }
        } catch {
            let message = "reloading failed, keeping the previous packs: \(error)"
            events.log("module \(descriptor.name): \(message)")
            return state.withLock { state in
                // Remember these stamps so a broken file is reported once, not on every check.
                state.stamps = stamps
                state.lastError = message
                return state.annotator
            }
        }
    }

    static func stamps(of paths: [String]) -> [String: Date?] {
        var result: [String: Date?] = [:]
        for path in paths {
            result[path] = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
        }
        return result
    }

    static func read(_ paths: [String], manifest: ModuleManifest) throws -> [(bytes: [UInt8], path: String)] {
        try paths.map { path in
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ModuleLoadError("\(manifest.path): rules: cannot read \(path)")
            }
            return (Array(data), path)
        }
    }
}
