extension Result {
    /// The error of a failure, nil for a success: `try #require(result.failure)` where a test expects one.
    package var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }

    /// The value of a success, nil for a failure: `try #require(result.success)` where a test expects one.
    package var success: Success? {
        if case .success(let value) = self { return value }
        return nil
    }
}
