import Foundation

/// The gold formats `scholia eval` reads.
public enum GoldFormat: String, Sendable, CaseIterable {
    case brat, szeged, json, auto
}

/// Finds and reads gold files from the paths the CLI was given: the only file IO of this module.
///
/// - A directory means every `.ann` file under it (brat), recursively, in name order.
/// - The text of `name_X.ann` is looked for as `name_X.txt`, then with trailing `_suffix`es removed
///   (`name.txt`: PolNeAR adds the annotator to the `.ann` name), each next to the `.ann` and in a
///   sibling `text/` or `txt/` folder (PolNeAR keeps `attributions/` and `text/` apart).
/// - When two `.ann` files of one directory resolve to the same text (two annotators of one
///   article), only the first in name order is used: scoring one text twice would weigh it double.
///   The others are listed in `skipped`.
public struct GoldLoader {
    public var format: GoldFormat
    public var szegedUnit: SzegedReader.Unit
    public var brat: BratReader
    /// `.ann` files not read because another annotator's file of the same text was.
    public private(set) var skipped: [String] = []

    public init(format: GoldFormat = .auto, szegedUnit: SzegedReader.Unit = .document, brat: BratReader = BratReader()) {
        self.format = format
        self.szegedUnit = szegedUnit
        self.brat = brat
    }

    public mutating func load(_ path: String) throws(GoldError) -> [GoldDocument] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw GoldError(file: path, message: "no such file or directory")
        }
        if isDirectory.boolValue {
            guard format == .auto || format == .brat else {
                throw GoldError(file: path, message: "a directory is read as brat (.ann files), not as \(format.rawValue)")
            }
            let annFiles = Self.files(under: path, extension: "ann")
            if annFiles.isEmpty { throw GoldError(file: path, message: "no .ann files in this directory") }
            var documents: [GoldDocument] = []
            var seenTexts = Set<String>()
            for annFile in annFiles {
                let textPath = try Self.bratTextPath(for: annFile)
                if !seenTexts.insert(textPath).inserted {
                    skipped.append(annFile)
                    continue
                }
                documents.append(try readBrat(annFile, textPath: textPath))
            }
            return documents
        }
        switch resolvedFormat(for: path) {
        case .brat:
            return [try readBrat(path, textPath: try Self.bratTextPath(for: path))]
        case .szeged:
            return try SzegedReader(unit: szegedUnit).read(bytes: try Self.bytes(path), path: path)
        case .json, .auto:
            let folder = (path as NSString).deletingLastPathComponent
            return try JSONGoldReader().read(bytes: try Self.bytes(path), path: path) { (name: String) throws(GoldError) -> (text: String, path: String) in
                let resolved = name.hasPrefix("/") ? name : (folder.isEmpty ? name : folder + "/" + name)
                return (try Self.text(resolved), resolved)
            }
        }
    }

    func resolvedFormat(for path: String) -> GoldFormat {
        if format != .auto { return format }
        switch (path as NSString).pathExtension.lowercased() {
        case "ann": return .brat
        case "xml": return .szeged
        default: return .json
        }
    }

    func readBrat(_ annPath: String, textPath: String) throws(GoldError) -> GoldDocument {
        let annotations = try Self.text(annPath)
        return try brat.read(annotations: annotations, text: try Self.text(textPath), annPath: annPath, textPath: textPath)
    }

    public static func bratTextPath(for annPath: String) throws(GoldError) -> String {
        let folder = (annPath as NSString).deletingLastPathComponent
        var stem = ((annPath as NSString).lastPathComponent as NSString).deletingPathExtension
        var stems = [stem]
        while let underscore = stem.lastIndex(of: "_"), underscore != stem.startIndex {
            stem = String(stem[..<underscore])
            stems.append(stem)
        }
        let base = folder.isEmpty ? "." : folder
        let parent = (base as NSString).deletingLastPathComponent
        let folders = [base, parent.isEmpty ? "text" : parent + "/text", parent.isEmpty ? "txt" : parent + "/txt"]
        for stem in stems {
            for folder in folders {
                let candidate = folder + "/" + stem + ".txt"
                if FileManager.default.fileExists(atPath: candidate) {
                    return folder == "." && !annPath.hasPrefix("./") ? stem + ".txt" : candidate
                }
            }
        }
        throw GoldError(file: annPath, message: "no text file found for it (looked for \(stems[0]).txt and \(stems.last!).txt beside it and in ../text)")
    }

    static func files(under directory: String, extension wanted: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return [] }
        var found: [String] = []
        while let relative = enumerator.nextObject() as? String {
            if (relative as NSString).pathExtension == wanted {
                found.append(directory.hasSuffix("/") ? directory + relative : directory + "/" + relative)
            }
        }
        return found.sorted()
    }

    public static func bytes(_ path: String) throws(GoldError) -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw GoldError(file: path, message: "no such file")
        }
        if isDirectory.boolValue { throw GoldError(file: path, message: "is a directory, not a file") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw GoldError(file: path, message: "cannot be read")
        }
        return Array(data)
    }

    public static func text(_ path: String) throws(GoldError) -> String {
        let bytes = try bytes(path)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw GoldError(file: path, message: "not valid UTF-8")
        }
        return text
    }
}
