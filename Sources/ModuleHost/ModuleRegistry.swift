import AnnotationModel

/// Where a module came from, as `scholia modules` and `scholia/modules` report it.
public enum ModuleOrigin: Sendable, Hashable, CustomStringConvertible {
    /// Compiled into the binary.
    case builtin
    /// Found under a `--module-path` directory (a `module.json` manifest); the module's folder.
    case directory(String)
    /// Found under the user's data directory (`$XDG_DATA_HOME/scholia/modules`).
    case user(String)
    /// Found under a trusted workspace's `.scholia/modules`.
    case workspace(String)

    public var description: String {
        switch self {
        case .builtin: return "builtin"
        case .directory(let path): return path
        case .user(let path): return "user \(path)"
        case .workspace(let path): return "workspace \(path)"
        }
    }
}

/// Whether a module can run now.
public enum ModuleStatus: String, Sendable, Hashable {
    case loaded
    case failed
    case disabled
}

/// One module the registry knows: its annotator (when it loaded), where it came from, and what
/// went wrong last.
public struct RegisteredModule: Sendable {
    public var descriptor: ModuleDescriptor
    public var annotator: (any Annotator)?
    public var origin: ModuleOrigin
    public var status: ModuleStatus
    public var lastError: String?

    public init(annotator: any Annotator, origin: ModuleOrigin) {
        self.descriptor = annotator.descriptor
        self.annotator = annotator
        self.origin = origin
        self.status = .loaded
        self.lastError = nil
    }

    /// A module whose manifest was read but which could not be loaded.
    public init(failed descriptor: ModuleDescriptor, origin: ModuleOrigin, error: String) {
        self.descriptor = descriptor
        self.annotator = nil
        self.origin = origin
        self.status = .failed
        self.lastError = error
    }
}

/// The modules of one server or CLI run, by name. A later registration of a name replaces an
/// earlier one, so a user's module can shadow a built-in of the same name.
public struct ModuleRegistry: Sendable {
    public private(set) var modules: [RegisteredModule] = []
    /// Manifests that could not be read, and failed modules that could not take the place of a
    /// loaded one of the same name: one line each, naming the file.
    public private(set) var problems: [String] = []

    public init() {}

    public init(builtins: [any Annotator]) {
        for annotator in builtins { register(annotator, origin: .builtin) }
    }

    public mutating func register(_ annotator: any Annotator, origin: ModuleOrigin) {
        register(RegisteredModule(annotator: annotator, origin: origin))
    }

    public mutating func register(_ module: RegisteredModule) {
        if let index = modules.firstIndex(where: { $0.descriptor.name == module.descriptor.name }) {
            // A module that failed to load does not shadow one that works: the user keeps the built-in.
            if module.status == .failed && modules[index].status == .loaded {
                problems.append("\(module.origin): \(module.lastError ?? "failed to load") (keeping \(module.descriptor.name) from \(modules[index].origin))")
                return
            }
            modules[index] = module
        } else {
            modules.append(module)
        }
    }

    public mutating func report(_ problem: String) { problems.append(problem) }

    public subscript(name: String) -> RegisteredModule? { modules.first { $0.descriptor.name == name } }

    public var names: [String] { modules.map(\.descriptor.name) }

    /// The names among `requested` that no loaded module has.
    public func unknownNames(in requested: some Sequence<String>) -> [String] {
        let loaded = Set(modules.filter { $0.status == .loaded }.map(\.descriptor.name))
        return requested.filter { !loaded.contains($0) }
    }

    /// A pipeline over the loaded modules, optionally only those named in `enabled`.
    public func pipeline(enabled: Set<String>? = nil) -> AnnotationPipeline {
        let annotators = modules.compactMap { module -> (any Annotator)? in
            guard module.status == .loaded, let annotator = module.annotator else { return nil }
            if let enabled, !enabled.contains(module.descriptor.name) { return nil }
            return annotator
        }
        return AnnotationPipeline(annotators: annotators)
    }
}
