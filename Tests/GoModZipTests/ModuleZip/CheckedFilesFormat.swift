@testable import GoModCore
@testable import GoModZip

/// x/mod's `formatCheckedFiles` text for a GoModKit report.
func formatCheckedFiles(_ cf: ModuleZip.CheckedFiles) -> [UInt8] {
    var out = Array("valid:\n".utf8)
    for path in cf.valid { out += path.bytes + [0x0A] }
    out += Array("\nomitted:\n".utf8)
    for file in cf.omitted { out += file.goText + [0x0A] }
    out += Array("\ninvalid:\n".utf8)
    for file in cf.invalid { out += file.goText + [0x0A] }
    return out
}
