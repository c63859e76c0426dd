/** OFN API shapes the bridge reads (see ../shared/reference/ofn.md §2.9). */
export interface OfnAddress {
  phone?: string | null;
  first_name?: string | null;
  last_name?: string | null;
  street_address_1?: string | null;
  street_address_2?: string | null;
  postal_code?: string | null;
  locality?: string | null;
  region?: { code?: string | null; name?: string | null } | null;
  country?: { code?: string | null; name?: string | null } | null;
}

export interface OfnCustomer {
  id: number;
  enterprise_id: number;
  first_name: string | null;
  last_name: string | null;
  code: string | null;
  email: string;
  tags: string[];
  billing_address: OfnAddress | null;
  shipping_address: OfnAddress | null;
}

export interface OfnEnterprise {
  id: number;
  name: string;
}

export interface OfnShopInfo {
  id: number;
  name: string;
  permalink: string;
  /** https://HOST/PERMALINK/shop */
  url: string;
}
