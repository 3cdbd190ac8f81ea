// The appc types (names, manifests, JSON) are part of this library's interface.
@_exported import AppcSchema
@_exported import Stage1Kit
