public import GoModCore

// The codes of `AdvisoryError` this release knows, one static member each, in the order of
// `AdvisoryError.codeNames`; a test (`checkErrorCodes`) keeps the two in step.
extension ErrorCode where Domain == AdvisoryError {
    /// The source (directory, file, zip, URL) cannot be opened or read.
    public static var unreadableSource: Self { Self("unreadable-source") }
    /// A record is not valid OSV JSON.
    public static var malformedRecord: Self { Self("malformed-record") }
    /// A record is larger than the limit.
    public static var oversizedRecord: Self { Self("oversized-record") }
    /// An index file (`index/modules.json`) is malformed or too large.
    public static var malformedIndex: Self { Self("malformed-index") }
    /// More records or files than the limit.
    public static var tooManyRecords: Self { Self("too-many-records") }
    /// A source location is not a directory, `file://`, `http(s)://` URL or zip.
    public static var invalidLocation: Self { Self("invalid-location") }
}
