import TextModel

/// The open documents, by URI. Every change is applied as a whole or not at all: a batch of
/// changes with one bad range leaves the document exactly as it was.
///
/// Not thread-safe by itself: the server owns one and touches it from its message loop only, handing
/// immutable snapshots to work that runs elsewhere.
public struct DocumentStore: Sendable {
    private var documents: [String: DocumentSnapshot] = [:]

    public init() {}

    public var uris: [String] { documents.keys.sorted() }

    public subscript(uri: String) -> DocumentSnapshot? { documents[uri] }

    /// Opens a document. Opening one that is open already replaces it (clients that lost track of
    /// their state reopen); the result says so.
    @discardableResult
    public mutating func open(uri: String, languageID: String, version: Int, text: String) -> DocumentSnapshot {
        let snapshot = DocumentSnapshot(uri: uri, languageID: languageID, version: version, text: text)
        documents[uri] = snapshot
        return snapshot
    }

    @discardableResult
    public mutating func close(uri: String) throws(DocumentStoreError) -> DocumentSnapshot {
        guard let snapshot = documents.removeValue(forKey: uri) else {
            throw DocumentStoreError(.notOpen, "document \(uri) is not open")
        }
        return snapshot
    }

    /// Applies LSP content changes in order (each range refers to the text after the changes before
    /// it), with positions counted in `encoding`. Returns the snapshots before and after and the
    /// edits in UTF-8, for incremental work.
    @discardableResult
    public mutating func change(
        uri: String, version: Int, changes: [DocumentChange], encoding: PositionEncoding
    ) throws(DocumentStoreError) -> DocumentUpdate {
        guard let before = documents[uri] else {
            throw DocumentStoreError(.notOpen, "document \(uri) is not open")
        }
        if version <= before.version {
            throw DocumentStoreError(
                .staleVersion, "version \(version) of \(uri) is not newer than version \(before.version)")
        }
        var index = before.lineIndex
        var edits: [TextEdit] = []
        // What every change so far left alone at either end.
        var prefix = index.utf8.count, suffix = index.utf8.count
        for (number, change) in changes.enumerated() {
            let edit: TextEdit
            if let range = change.range {
                do {
                    edit = TextEdit(range: try index.utf8Range(of: range, in: encoding), replacement: change.text)
                } catch {
                    throw DocumentStoreError(
                        .rangeOutsideDocument,
                        "change \(number + 1) of \(changes.count) to \(uri): range \(range) rejected: \(error); "
                            + "the document is unchanged at version \(before.version)")
                }
            } else {
                edit = TextEdit(range: 0..<index.utf8.count, replacement: change.text)
            }
            prefix = min(prefix, edit.range.lowerBound)
            suffix = min(suffix, index.utf8.count - edit.range.upperBound)
            // Only the lines the edit touches are scanned again.
            index = index.replacing(edit.range, with: Array(edit.replacement.utf8))
            edits.append(edit)
        }
        let after = DocumentSnapshot(uri: uri, languageID: before.languageID, version: version, lineIndex: index)
            .keeping(UnchangedEnds(version: before.version, prefix: prefix, suffix: suffix))
        documents[uri] = after
        return DocumentUpdate(before: before, after: after, edits: edits)
    }
}

/// The result of applying changes: the document before and after, and the UTF-8 edits in the
/// order they were applied.
public struct DocumentUpdate: Sendable {
    public let before: DocumentSnapshot
    public let after: DocumentSnapshot
    public let edits: [TextEdit]
}
