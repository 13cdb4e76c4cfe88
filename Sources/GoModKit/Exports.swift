// The umbrella product: `import GoModKit` brings every layer, as the single module did before
// the layers were cut (Docs/migration.md).
@_exported public import GoModCore
@_exported public import GoModZip
@_exported public import GoSumDB
@_exported public import GoModNet
@_exported public import GoModFetch
@_exported public import GoModVCS
@_exported public import GoModOrigin
@_exported public import GoModSupplyChain
@_exported public import GoModAdvisories
@_exported public import GoModAudit
