export { createTenancyService, presentSite, siteIsOpen, type SiteView, type TenancyService } from './tenancy.service.ts';
export { insertSite } from './tenancy.repository.ts';
