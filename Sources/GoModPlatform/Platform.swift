// The platform imports every GoModKit target needs, written once: the C library (Glibc, Musl or
// Darwin) and FoundationEssentials where the toolchain has it (swift-foundation on Linux), else
// Foundation. Targets write `import GoModPlatform` (or `public import GoModPlatform` where a public
// declaration names a Foundation type such as `Data`, `URL` or `Date`) instead of repeating the
// conditional import blocks. It is not a product: a client imports FoundationEssentials (or
// Foundation) itself.

#if canImport(FoundationEssentials)
@_exported public import FoundationEssentials
#else
@_exported public import Foundation
#endif

#if canImport(Glibc)
@_exported public import Glibc
#elseif canImport(Musl)
@_exported public import Musl
#elseif canImport(Darwin)
@_exported public import Darwin
#endif
