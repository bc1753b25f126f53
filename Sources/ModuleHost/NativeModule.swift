import AnnotationModel
import JSON
import ScholiaModuleABI
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A module in a shared library that exports `scholia_module_entry` (scholia_module.h).
///
/// Trusted, in-process code: it can crash the server and cannot be timed out, which is why only a
/// manifest the user installed can name a library. Calls are serialized, so a module need not be
/// thread-safe.
public final class NativeModule: Annotator, Sendable {
    public let descriptor: ModuleDescriptor
    public let libraryPath: String
    /// The dlopen handle and the entry table; both valid until the process ends (never dlclosed,
    /// since annotations may still hold strings a module's code produced).
    private let table: Mutex<UnsafePointer<scholia_module_v1>>
    private let events: ModuleEvents

    /// Loads the library a manifest names. Throws a message fit for `scholia modules` when the file
    /// is not a loadable library, lacks the entry point, or speaks another ABI version.
    public init(manifest: ModuleManifest, libraryPath: String, events: ModuleEvents) throws(ModuleLoadError) {
        guard let handle = dlopen(libraryPath, RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "unknown error"
            throw ModuleLoadError("cannot load library \(libraryPath): \(reason)")
        }
        guard let symbol = dlsym(handle, "scholia_module_entry") else {
            dlclose(handle)
            throw ModuleLoadError("\(libraryPath) does not export scholia_module_entry (see scholia_module.h)")
        }
        let entry = unsafeBitCast(symbol, to: scholia_module_entry_fn.self)
        guard let table = entry() else {
            dlclose(handle)
            throw ModuleLoadError("\(libraryPath): scholia_module_entry returned NULL")
        }
        // Only the version field is read before the check: a table of another version may be shaped differently.
        let version = table.pointee.abi_version
        guard version == UInt32(SCHOLIA_MODULE_ABI_VERSION) else {
            dlclose(handle)
            throw ModuleLoadError(
                "\(libraryPath): ABI version \(version) is not supported (this scholia speaks ABI version \(SCHOLIA_MODULE_ABI_VERSION)); rebuild the module against this scholia's scholia_module.h")
        }
        guard table.pointee.describe != nil, table.pointee.annotate != nil, table.pointee.free_result != nil else {
            dlclose(handle)
            throw ModuleLoadError("\(libraryPath): the module table has a NULL function pointer")
        }
        if let described = table.pointee.describe?() {
            let text = String(cString: described)
            do {
                let json = try JSONParser().parse(text)
                let declared = try ModuleWire.descriptor(from: json, path: "\(libraryPath) describe()")
                guard declared.name == manifest.descriptor.name else {
                    dlclose(handle)
                    throw ModuleLoadError(
                        "\(libraryPath): describe() names the module '\(declared.name)', the manifest '\(manifest.descriptor.name)'")
                }
            } catch let error as ModuleLoadError {
                throw error
            } catch {
                dlclose(handle)
                throw ModuleLoadError("\(libraryPath): describe() is not a valid description: \(error)")
            }
        }
        self.descriptor = manifest.descriptor
        self.libraryPath = libraryPath
        self.table = Mutex(table)
        self.events = events
    }

    public func annotate(_ request: AnnotationRequest) throws -> [Annotation] {
        let requestText = ModuleWire.annotateParams(request).serializedString()
        let answer: String? = table.withLock { table in
            guard let result = requestText.withCString({ table.pointee.annotate?($0) }) else { return nil }
            defer { table.pointee.free_result?(result) }
            return String(cString: result)
        }
        guard let answer else { throw AnnotatorError("module \(descriptor.name) returned NULL from annotate") }
        let json: JSONValue
        do { json = try JSONParser().parse(answer) } catch {
            throw AnnotatorError("module \(descriptor.name) answered text that is not JSON: \(error)")
        }
        let (annotations, problems) = try ModuleWire.annotations(
            from: json, request: request, module: descriptor.name, encoding: .utf8)
        for problem in problems { events.log("module \(descriptor.name): dropped \(problem)") }
        return annotations
    }
}

/// Why a module could not be loaded; shown as its `lastError`.
public struct ModuleLoadError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
