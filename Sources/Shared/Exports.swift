// The appc types (names, manifests, JSON), the Linux layer and the stage1 ABI are part of this
// library's interface.
@_exported import AppcSchema
@_exported import LinuxSupport
@_exported import Stage1ABI
