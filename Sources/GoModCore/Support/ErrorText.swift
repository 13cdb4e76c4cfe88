import GoModPlatform

/// A message for an error thrown by a file-system call: for Foundation's file errors, the
/// `strerror` text of the underlying `errno` (the caller names the path, as Go's `*PathError`
/// does); otherwise the error's description. Stands in for full Foundation's
/// `localizedDescription`, which FoundationEssentials does not have.
package func errorText(_ error: any Error) -> String {
    if let cocoa = error as? CocoaError, let posix = cocoa.underlying as? POSIXError {
        return systemMessage(posix.code.rawValue)
    }
    if let posix = error as? POSIXError { return systemMessage(posix.code.rawValue) }
    return String(describing: error)
}

/// `strerror` text for an errno value (`errno N` should the C library return none).
package func systemMessage(_ code: Int32) -> String {
    guard let text = strerror(code) else { return "errno \(code)" }
    return String(cString: text)
}
