@_exported import AppcSchema
