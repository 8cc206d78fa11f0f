package dev.addressmatch.api;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The plain-HTTP tests against the packaged application. */
@QuarkusIntegrationTest
class CompareHttpIT extends CompareHttpTest {}
