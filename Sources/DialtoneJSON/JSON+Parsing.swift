extension JSON {
    /// How many arrays and objects may nest by default. Deeper input is rejected: the parser
    /// itself does not recurse, but comparing, hashing and freeing a `JSON` value do.
    public static let defaultMaxDepth = 128

    /// Parses one JSON text (RFC 8259, strictly: UTF-8 only, no comments, no trailing commas,
    /// nothing but whitespace after the value). Numbers keep their text and object members
    /// keep their order, duplicates included.
    public init(parsing bytes: UnsafeRawBufferPointer, maxDepth: Int = JSON.defaultMaxDepth)
        throws(JSONError)
    {
        var parser = JSONParser(bytes: bytes, maxDepth: maxDepth)
        self = try parser.parseDocument()
    }

    /// Checks that `bytes` are one JSON text that ``init(parsing:maxDepth:)-(UnsafeRawBufferPointer,_)``
    /// accepts, throwing the error it would throw, without building the value: for text that is
    /// passed on as it is, or parsed only later and in part.
    public static func validate(_ bytes: UnsafeRawBufferPointer, maxDepth: Int = JSON.defaultMaxDepth)
        throws(JSONError)
    {
        var parser = JSONParser(bytes: bytes, maxDepth: maxDepth)
        try parser.validateDocument()
    }

    /// Parses one JSON text; see ``init(parsing:maxDepth:)-(UnsafeRawBufferPointer,_)``.
    public init(parsing bytes: [UInt8], maxDepth: Int = JSON.defaultMaxDepth) throws(JSONError) {
        self = try bytes.withUnsafeBytes { JSON.parse($0, maxDepth: maxDepth) }.get()
    }

    /// Parses one JSON text; see ``init(parsing:maxDepth:)-(UnsafeRawBufferPointer,_)``.
    public init(parsing bytes: ArraySlice<UInt8>, maxDepth: Int = JSON.defaultMaxDepth)
        throws(JSONError)
    {
        self = try bytes.withUnsafeBytes { JSON.parse($0, maxDepth: maxDepth) }.get()
    }

    /// Parses one JSON text; see ``init(parsing:maxDepth:)-(UnsafeRawBufferPointer,_)``.
    public init(parsing text: String, maxDepth: Int = JSON.defaultMaxDepth) throws(JSONError) {
        var text = text
        self = try text.withUTF8 { JSON.parse(UnsafeRawBufferPointer($0), maxDepth: maxDepth) }
            .get()
    }

    /// Parses one JSON text from any byte collection, copying it only when it is not contiguous.
    public init(parsing bytes: some Collection<UInt8>, maxDepth: Int = JSON.defaultMaxDepth)
        throws(JSONError)
    {
        let parsed = bytes.withContiguousStorageIfAvailable {
            JSON.parse(UnsafeRawBufferPointer($0), maxDepth: maxDepth)
        }
        self = try (parsed ?? Array(bytes).withUnsafeBytes { JSON.parse($0, maxDepth: maxDepth) })
            .get()
    }

    private typealias Parsed = Result<JSON, JSONError>

    /// The buffer-based `withUnsafe…` methods are untyped-throwing, so results cross them as values.
    private static func parse(_ bytes: UnsafeRawBufferPointer, maxDepth: Int) -> Parsed {
        Parsed { () throws(JSONError) in try JSON(parsing: bytes, maxDepth: maxDepth) }
    }
}
