import AnnotationModel
import Foundation
import RulePacks

/// Finds `module.json` manifests and turns them into registered modules.
///
/// The order of `ModuleLoader.registry` is the order of precedence, later shadowing earlier:
/// built-ins, each `--module-path` directory in the order given, the user's data directory
/// (`$XDG_DATA_HOME/scholia/modules`, default `~/.local/share/scholia/modules`), and — only when the
/// client's configuration trusts the workspace — the workspace's `.scholia/modules`. Paths come only
/// from the command line, the environment and the workspace root: a client request never names a
/// path or a command to load.
public struct ModuleLoader: Sendable {
    /// Turns the rule packs of a `rules` module (each file's bytes and path) into an annotator.
    public typealias RulePackLoader = @Sendable (_ packs: [(bytes: [UInt8], path: String)], _ manifest: ModuleManifest) throws -> any Annotator

    public var events: ModuleEvents
    public var rulePackLoader: RulePackLoader

    public init(events: ModuleEvents = ModuleEvents(), rulePackLoader: @escaping RulePackLoader = ModuleLoader.rulePackAnnotator) {
        self.events = events
        self.rulePackLoader = rulePackLoader
    }

    /// A `rules` module: its packs under the manifest's name and kinds. Every pack must name the
    /// module (the pack's own tests look for annotations of that module).
    public static func rulePackAnnotator(packs files: [(bytes: [UInt8], path: String)], manifest: ModuleManifest) throws -> any Annotator {
        var packs: [RulePack] = []
        for file in files {
            let pack = try RulePack.load(bytes: file.bytes, path: file.path)
            guard pack.module == manifest.descriptor.name else {
                throw ModuleLoadError("\(file.path): module: the pack is for '\(pack.module)', the manifest names '\(manifest.descriptor.name)'")
            }
            packs.append(pack)
        }
        let d = manifest.descriptor
        return RulePackAnnotator(name: d.name, version: d.version, description: d.description, kinds: d.kinds, packs: packs)
    }

    /// The registry of one run: built-ins, then the modules of `modulePaths`, then the user's.
    public func registry(builtins: [any Annotator], modulePaths: [String], environment: [String: String]) -> ModuleRegistry {
        var registry = ModuleRegistry(builtins: builtins)
        for path in modulePaths {
            load(directory: path, origin: ModuleOrigin.directory, into: &registry, mustExist: true)
        }
        if let user = Self.userModuleDirectory(environment: environment) {
            load(directory: user, origin: ModuleOrigin.user, into: &registry, mustExist: false)
        }
        return registry
    }

    /// Adds a trusted workspace's modules (`ROOT/.scholia/modules`) to `registry`.
    public func addWorkspaceModules(root: String, into registry: inout ModuleRegistry) {
        load(directory: ModuleManifest.resolve(".scholia/modules", against: root), origin: ModuleOrigin.workspace,
             into: &registry, mustExist: false)
    }

    /// `$XDG_DATA_HOME/scholia/modules`, or `$HOME/.local/share/scholia/modules`.
    public static func userModuleDirectory(environment: [String: String]) -> String? {
        if let data = environment["XDG_DATA_HOME"], data.hasPrefix("/") { return data + "/scholia/modules" }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return home + "/.local/share/scholia/modules"
    }

    /// The manifests a module directory holds: its own `module.json` (a directory that is one
    /// module), else `*/module.json` of its subfolders, in name order so precedence is stable.
    public static func manifestPaths(in directory: String) -> [String] {
        let files = FileManager.default
        let own = ModuleManifest.resolve("module.json", against: directory)
        if files.fileExists(atPath: own) { return [own] }
        let entries = (try? files.contentsOfDirectory(atPath: directory)) ?? []
        return entries.sorted().compactMap { entry in
            guard !entry.hasPrefix(".") else { return nil }
            let manifest = ModuleManifest.resolve(entry + "/module.json", against: directory)
            return files.fileExists(atPath: manifest) ? manifest : nil
        }
    }

    public func load(
        directory: String, origin: (String) -> ModuleOrigin, into registry: inout ModuleRegistry, mustExist: Bool
    ) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            if mustExist { report("\(directory): module path is not a directory", into: &registry) }
            return
        }
        for path in Self.manifestPaths(in: directory) {
            let manifest: ModuleManifest
            do {
                manifest = try Self.readManifest(path)
            } catch {
                // Without a valid manifest there is no name to list the module under.
                report(error.description, into: &registry)
                continue
            }
            registry.register(load(manifest, origin: origin(manifest.directory)))
        }
    }

    public static func readManifest(_ path: String) throws(ManifestError) -> ModuleManifest {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ManifestError(path: path, field: nil, reason: "cannot be read")
        }
        return try ModuleManifest.parse(bytes: Array(data), path: path)
    }

    /// One module from its manifest: loaded, or listed as failed with why.
    public func load(_ manifest: ModuleManifest, origin: ModuleOrigin) -> RegisteredModule {
        do {
            switch manifest.implementation {
            case .rules(let paths):
                let module = try ReloadingRulePackModule(manifest: manifest, paths: paths, events: events, build: rulePackLoader)
                return RegisteredModule(annotator: module, origin: origin)
            case .library(let path):
                return RegisteredModule(
                    annotator: try NativeModule(manifest: manifest, libraryPath: path, events: events), origin: origin)
            case .command:
                return RegisteredModule(annotator: ProcessModule(manifest: manifest, events: events), origin: origin)
            }
        } catch {
            events.log("module \(manifest.descriptor.name) failed to load: \(error)")
            return RegisteredModule(failed: manifest.descriptor, origin: origin, error: "\(error)")
        }
    }

    private func report(_ problem: String, into registry: inout ModuleRegistry) {
        events.log(problem)
        registry.report(problem)
    }
}
