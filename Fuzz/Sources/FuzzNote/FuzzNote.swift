import GoSumDB

/// libFuzzer entry point for signed notes and verifier keys (Docs/Testing.md, "Fuzzing").
///
/// Opens the input as a note with the x/mod test keys and parses it as a verifier key. Invariants:
/// an opened note re-signed by its own signer (PeterNeumann's test key) opens again with the same
/// text; a parsed verifier key round-trips through ``NoteVerifier/verifierKey``.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNote(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    guard let peter = try? NoteVerifier(verifierKey: "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"),
          let signer = try? NoteSigner(signerKey: "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz")
    else { fatalError("test keys") }
    do {
        let note = try Note.open(bytes, verifiers: [peter])
        let resigned = try note.signed(by: [signer])
        let again = try Note.open(resigned, verifiers: [peter])
        if again.text != note.text { fatalError("re-signed note changed its text") }
    } catch let error as NoteError {
        _ = error.description
        if error.code == .unverifiedNote, let note = error.unverifiedNote, let signed = try? note.signed(by: [signer]) {
            // Signing an opened (unverified) note adds a verifiable signature.
            if (try? Note.open(signed, verifiers: [peter])) == nil { fatalError("signed note does not open") }
        }
    } catch {
        fatalError("untyped error \(error)")
    }
    if let text = String(validating: bytes, as: UTF8.self), let key = try? NoteVerifier(verifierKey: text) {
        if key.verifierKey != text && key.verifierKey.lowercased() != text.lowercased() {
            fatalError("verifier key does not round-trip")
        }
    }
    return 0
}
