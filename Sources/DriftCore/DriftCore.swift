/// The domain: tables, drift evaluation over columns, and the figures a window stores.
public enum DriftCore {}
