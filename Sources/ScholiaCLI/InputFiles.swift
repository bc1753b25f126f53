import Foundation

/// A document read from a file or standard input, checked to be UTF-8.
struct InputDocument {
    var path: String
    var text: String
}

enum InputError: Error, CustomStringConvertible {
    case notFound(String)
    case isDirectory(String)
    case unreadable(String, String)
    case invalidUTF8(String, offset: Int)

    var description: String {
        switch self {
        case .notFound(let path): return "\(path): no such file"
        case .isDirectory(let path): return "\(path): is a directory, not a file"
        case .unreadable(let path, let reason): return "\(path): cannot be read: \(reason)"
        case .invalidUTF8(let path, let offset): return "\(path): not valid UTF-8 (first bad byte at offset \(offset))"
        }
    }
}

enum InputFiles {
    /// Reads a path, or standard input for `-`.
    static func read(_ path: String) throws(InputError) -> InputDocument {
        let bytes: [UInt8]
        if path == "-" {
            bytes = Array(FileHandle.standardInput.readDataToEndOfFile())
        } else {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw .notFound(path) }
            if isDirectory.boolValue { throw .isDirectory(path) }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw .unreadable(path, "permission denied or not a regular file")
            }
            bytes = Array(data)
        }
        let name = path == "-" ? "<stdin>" : path
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .invalidUTF8(name, offset: firstInvalidUTF8Offset(bytes) ?? 0)
        }
        return InputDocument(path: name, text: text)
    }

    /// Offset of the first byte that does not belong to a valid UTF-8 sequence.
    static func firstInvalidUTF8Offset(_ bytes: [UInt8]) -> Int? {
        var offset = 0
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }
}
