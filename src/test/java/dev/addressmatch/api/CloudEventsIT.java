package dev.addressmatch.api;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The CloudEvents tests against the packaged application. */
@QuarkusIntegrationTest
class CloudEventsIT extends CloudEventsTest {}
