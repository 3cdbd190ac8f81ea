@_exported import AppcSchema
@_exported import LinuxSupport
@_exported import Stage1ABI
